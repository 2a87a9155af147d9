package dev.goldfinch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.goldfinch.app.Main;
import dev.goldfinch.app.cli.AskCommandTest.Output;
import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.generate.Generator;
import dev.goldfinch.engine.kernel.Parallel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the command line does with inputs that must not take the machine down: every failure is one line
 * ({@code goldfinch: …}) and a non-zero exit, an Error included; impossible option values are refused before anything
 * runs; a pipe, a device or a /proc file is refused at once wherever a file is read.
 */
class CommandLineLimitsTest {
    @TempDir
    Path dir;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    static Path model() {
        return Fixtures.reference().resolve("goldfinch-tiny.pth");
    }

    /** A version 1.0 int32 .npy of token ids. */
    static Path tokens(Path file, int n) throws Exception {
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (" + n + ",), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
        for (int i = 0; i < n; i++) b.putInt(1 + i % 500);
        return Files.write(file, b.array());
    }

    static void oneLine(Output o, int code, String expected) {
        assertEquals(code, o.code(), o.err());
        assertEquals(expected, o.err());
    }

    // ---------------------------------------------------------------- Errors

    /** Throws the Error it is told to: what a failing command does. */
    @Command(name = "explode")
    static final class Explode implements Callable<Integer> {
        @Option(names = "--kind")
        String kind;

        @Override
        public Integer call() {
            throw switch (kind) {
                case "memory" -> new OutOfMemoryError("Java heap space");
                case "stack" -> new StackOverflowError();
                default -> new AssertionError("an invariant broke");
            };
        }
    }

    static Output explode(String... args) {
        CommandLine cl = new CommandLine(new GoldfinchCommand()).addSubcommand("explode", new Explode());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = GoldfinchCommand.run(cl, args);
        return new Output(code, "", err.toString().strip());
    }

    @Test
    void anErrorIsOneLineLikeEveryOtherFailure() {
        String heap = String.format(java.util.Locale.ROOT, "%.1f GB", Runtime.getRuntime().maxMemory() / 1e9);
        oneLine(explode("explode", "--kind", "memory"), 1,
                "goldfinch: out of memory (Java heap space; this program may use " + heap + ", GOLDFINCH_JAVA_OPTS=-Xmx… allows more)");
        oneLine(explode("explode", "--kind", "stack"), 1, "goldfinch: stack overflow (something nested too deeply)");
        oneLine(explode("explode", "--kind", "other"), 1, "goldfinch: internal error: java.lang.AssertionError: an invariant broke");
        Output debug = explode("explode", "--debug", "--kind", "memory");
        assertEquals(1, debug.code());
        assertTrue(debug.err().startsWith("goldfinch: out of memory") && debug.err().contains("at dev.goldfinch.app.cli.CommandLineLimitsTest$Explode.call"),
                "--debug adds the stack trace: " + debug.err());
    }

    /**
     * A real OutOfMemoryError, in a child JVM with a 64 MB heap: the logits of 100 000 positions (200 MB) do not fit.
     * It used to end in "Exception in thread "main" java.lang.OutOfMemoryError" and a stack trace.
     */
    @Test
    void aRealOutOfMemoryErrorIsOneLine() throws Exception {
        Path ids = tokens(dir.resolve("long.npy"), 100_000);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = dir.resolve("err.txt");
        Process child = new ProcessBuilder(List.of(java, "-Xmx64m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "logits", "--model", model().toString(), "--tokens", ids.toString(), "--out", dir.resolve("out.npy").toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child finished");
        String lines = Files.readAllLines(err).stream().filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
        assertEquals(1, child.exitValue(), lines);
        assertTrue(lines.matches("goldfinch: out of memory \\(Java heap space; this program may use 0\\.\\d GB, GOLDFINCH_JAVA_OPTS=-Xmx… allows more\\)"),
                lines);
    }

    /** T × V logits past 2^31 floats used to overflow into a negative array size ("goldfinch: -1734967296"). */
    @Test
    void logitsTooManyForOneArrayAreRefusedInWords() throws Exception {
        Path ids = tokens(dir.resolve("five-million.npy"), 5_000_000);
        oneLine(AskCommandTest.runBoth("logits", "--model", model().toString(), "--tokens", ids.toString(), "--out", dir.resolve("o.npy").toString()), 1,
                "goldfinch: the logits of 5000000 positions × 512 ids do not fit one array; give at most 4194303 tokens at a time");
    }

    // ---------------------------------------------------------------- option bounds

    @Test
    void impossibleOptionValuesAreRefusedInOneLine() throws Exception {
        Path ids = tokens(dir.resolve("ids.npy"), 8);
        List<String> generate = List.of("generate", "--model", model().toString(), "--tokens", ids.toString());
        int max = Parallel.maxThreads();
        String[][] cases = {
            {"--max-new", "2147483647", "--max-new must be between 1 and " + Generator.MAX_NEW_TOKENS + ", not 2147483647"},
            {"--max-new", "0", "--max-new must be between 1 and " + Generator.MAX_NEW_TOKENS + ", not 0"},
            {"--max-new", "-5", "--max-new must be between 1 and " + Generator.MAX_NEW_TOKENS + ", not -5"},
            {"--threads", "100000", "--threads must be between 1 and " + max + " (4 per core, at least 64), not 100000"},
            {"--threads", "0", "--threads must be between 1 and " + max + " (4 per core, at least 64), not 0"},
            {"--temperature", "NaN", "--temperature must be 0 (greedy) or a positive number, not NaN"},
            {"--temperature", "-1", "--temperature must be 0 (greedy) or a positive number, not -1.0"},
            {"--temperature", "Infinity", "--temperature must be 0 (greedy) or a positive number, not Infinity"},
            {"--top-p", "0", "--top-p must be more than 0 and at most 1, not 0.0"},
            {"--top-p", "1.01", "--top-p must be more than 0 and at most 1, not 1.01"},
            {"--top-p", "NaN", "--top-p must be more than 0 and at most 1, not NaN"},
            {"--top-k", "-1", "--top-k must be 0 (no cut) or more, not -1"},
            {"--presence-penalty", "NaN", "--presence-penalty must be a finite number, not NaN"},
            {"--frequency-penalty", "-Infinity", "--frequency-penalty must be a finite number, not -Infinity"},
            {"--tova-budget", "-1", "--tova-budget must be 0 (unbounded) or more, not -1"},
            {"--rope-base", "NaN", "--rope-base must be a positive number (0 = off), not NaN"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(generate);
            args.add(c[0]);
            args.add(c[1]);
            oneLine(AskCommandTest.runBoth(args.toArray(String[]::new)), 2, "goldfinch: " + c[2] + " (see goldfinch generate --help)");
        }
        oneLine(AskCommandTest.runBoth("generate", "--model", model().toString(), "--tokens", ids.toString(), "--max-new", "lots"), 2,
                "goldfinch: Invalid value for option '--max-new': 'lots' is not an int (see goldfinch generate --help)");

        // the limits themselves are allowed, and sane values still work
        Output ok = AskCommandTest.runBoth("generate", "--model", model().toString(), "--tokens", ids.toString(), "--max-new", "3",
                "--threads", Integer.toString(max), "--temperature", "0.5", "--top-p", "1", "--top-k", "5");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().strip().matches("\\[\\d+, \\d+, \\d+]"), ok.out());
        assertEquals(max, Parallel.threads());
    }

    // ---------------------------------------------------------------- special files

    static List<Path> specialFiles(Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")) && Files.exists(Path.of("/proc/self/status")), "a Linux machine");
        Path fifo = dir.resolve("pipe");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0, "mkfifo is available");
        return List.of(fifo, Path.of("/dev/zero"), Path.of("/proc/self/status"));
    }

    /** Every option that reads a file refuses a pipe, /dev/zero and /proc/self/status in one line, within seconds. */
    @Test
    void specialFilesAreRefusedAtOnceWhereverAFileIsRead() throws Exception {
        Path ids = tokens(dir.resolve("ids.npy"), 8);
        Path vocab = AskCommandTest.VOCAB;
        Path doc = Files.writeString(dir.resolve("doc.txt"), "The rent is due on the third.");
        String notRegular = "not a regular file (a pipe, a device or a /proc file)";
        for (Path f : specialFiles(dir)) {
            String s = f.toString();
            String[][] cases = {
                {"checkpoint " + s + ": " + notRegular, "generate", "--model", s, "--tokens", ids.toString()},
                {s + ": " + notRegular, "generate", "--model", model().toString(), "--tokens", s},
                {s + ": " + notRegular, "logits", "--model", model().toString(), "--tokens", s, "--out", dir.resolve("o.npy").toString()},
                {"checkpoint " + s + ": " + notRegular, "info", "--model", s},
                {"tokenizer vocabulary " + s + ": " + notRegular, "tokenize", "--vocab", s, "--text", "hello"},
                {"--file " + s + ": " + notRegular, "tokenize", "--vocab", vocab.toString(), "--file", s},
                {f.getFileName() + " is " + notRegular, "ingest", s},
                {"--doc " + s + ": " + notRegular, "ask", "--model", model().toString(), "--vocab", vocab.toString(), "--db",
                    dir.resolve("s.sqlite").toString(), "--doc", s, "Why?"},
                {"tokenizer vocabulary " + s + ": " + notRegular, "ask", "--model", model().toString(), "--vocab", s, "--db",
                    dir.resolve("s.sqlite").toString(), "--doc", doc.toString(), "Why?"},
            };
            for (String[] c : cases) {
                String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
                Output o = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> AskCommandTest.runBoth(args),
                        String.join(" ", args) + " read " + f + " instead of refusing it");
                oneLine(o, 1, "goldfinch: " + c[0]);
            }
        }
    }
}
