package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.generate.Generator;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.RandomModels.Shape;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench footprint}: the memory a person's two steps take. Reading: a random document of N tokens read into a
 * real SQLite store in a temporary folder, as the app reads one. Answering: a new JVM with the same settings (as a
 * person asks next month) opens the saved reading, copies it as every question does, and answers a few tokens.
 * Each phase reports its peak heap (used, committed) and its peak resident memory beyond the mapped weights.
 */
@Command(name = "footprint", mixinStandardHelpOptions = true,
        description = "Peak heap and resident memory beyond the mapped weights: reading a document into a store, then answering from it in a fresh process.")
final class FootprintBench implements Callable<Integer> {
    @Mixin
    BenchOptions bench;

    @Mixin
    RandomModelOptions choice;

    @Option(names = "--tokens", defaultValue = "4096", paramLabel = "N", description = "Document length (default ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--answer-tokens", defaultValue = "4", paramLabel = "N", description = "Tokens answered after a 16-token question (default ${DEFAULT-VALUE}).")
    int answerTokens;

    @Option(names = "--idle", defaultValue = "0", paramLabel = "S",
            description = "Then wait this many seconds with the answer's state held, as a window between questions, and say what the process still holds (default ${DEFAULT-VALUE}: not measured).")
    int idleSeconds;

    @Option(names = "--answer-from", hidden = true, paramLabel = "STORE", description = "Internal: answer from this store (the fresh process's part).")
    Path answerFrom;

    @Option(names = "--document", hidden = true, defaultValue = "1", paramLabel = "ID")
    long document;

    private static final int QUESTION_TOKENS = 16;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (answerFrom != null) return answer();
        bench.start();
        Architecture arch = choice.architecture();
        Shape shape = choice.shape();
        Path checkpoint = bench.model(arch, shape, RandomModelOptions.storedType(choice.weights)); // written before measuring
        Path dir = Files.createTempDirectory("goldfinch-footprint");
        try {
            Path db = dir.resolve("store.sqlite");
            long doc;
            MemoryFootprint.Peaks reading;
            double seconds;
            try (MemoryFootprint footprint = new MemoryFootprint(checkpoint)) {
                try (Model model = bench.load(arch, shape, choice.weights); DocumentStore store = DocumentStore.open(db)) {
                    int[] tokens = new SplittableRandom(length).ints(length, 1, model.config().vocab()).toArray();
                    doc = store.documents().put("bench-footprint", "bench", "", tokens, null);
                    long t0 = System.nanoTime();
                    new DocumentReader(store, model).prefill(doc, CachePrecision.F16, p -> { }, () -> false);
                    seconds = (System.nanoTime() - t0) / 1e9;
                    reading = footprint.finish();
                }
            }
            System.out.printf(Locale.ROOT, "footprint %s %s %s reading %d tokens: %s; %.1f tokens/s%n", arch.id, shape, choice.weights, length, reading.line(), length / seconds);
            return answerInFreshProcess(db, doc);
        } finally {
            deleteTree(dir);
        }
    }

    /** Runs the answering phase in a new JVM with this one's settings, passing its lines on. */
    private int answerInFreshProcess(Path db, long doc) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), dev.goldfinch.app.Main.class.getName(), "bench", "footprint",
                "--answer-from", db.toString(), "--document", Long.toString(doc), "--shape", choice.shape, "--arch", choice.arch, "--weights", choice.weights,
                "--tokens", Integer.toString(length), "--answer-tokens", Integer.toString(answerTokens), "--seed", Long.toString(bench.seed),
                "--vocab", Integer.toString(bench.vocab), "--threads", Integer.toString(Parallel.threads()), "--idle", Integer.toString(idleSeconds)));
        if (bench.cacheDir != null) cmd.addAll(List.of("--cache-dir", bench.cacheDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) System.out.println(line);
        }
        int exit = p.waitFor();
        if (exit != 0) System.err.println("bench: the answering process exited with " + exit);
        return exit;
    }

    /** The fresh process: open the saved reading, copy it as a question does, answer greedily. */
    private int answer() {
        if (bench.threads != null) Parallel.setThreads(bench.threads);
        Architecture arch = choice.architecture();
        Shape shape = choice.shape();
        Path checkpoint = bench.model(arch, shape, RandomModelOptions.storedType(choice.weights));
        MemoryFootprint.Peaks answering;
        double firstToken;
        int answered;
        String idle;
        try (MemoryFootprint footprint = new MemoryFootprint(checkpoint)) {
            try (Model model = bench.load(arch, shape, choice.weights); DocumentStore store = DocumentStore.open(answerFrom)) {
                long t0 = System.nanoTime();
                InferenceState snapshot = new DocumentReader(store, model).open(document);
                InferenceState state = snapshot.copy(); // what every question is asked on: the snapshot stays the document
                int[] question = new SplittableRandom(2).ints(QUESTION_TOKENS, 1, model.config().vocab()).toArray();
                long[] first = {0};
                answered = new Generator(model).generate(state, question, answerTokens, SamplingOptions.greedy(), t -> false,
                        t -> { if (first[0] == 0) first[0] = System.nanoTime(); }, () -> false).length;
                firstToken = (first[0] - t0) / 1e9;
                idle = idleSeconds > 0 ? idle(checkpoint, state, snapshot) : null;
                answering = footprint.finish();
            }
        }
        System.out.printf(Locale.ROOT, "footprint %s %s %s answering (fresh process, %d-token document, %d-token question, %d tokens answered): %s; first token %.2f s%n",
                arch.id, shape, choice.weights, length, QUESTION_TOKENS, answered, answering.line(), firstToken);
        if (idle != null) System.out.println(idle);
        return 0;
    }

    /**
     * What the process holds after idleSeconds with the document and the answer's state still referenced (the window
     * between two questions): whether the collector gave back what the phase's garbage took, without being asked.
     */
    private String idle(Path checkpoint, InferenceState... held) {
        try {
            Thread.sleep(idleSeconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long rss = MemoryFootprint.status("VmRSS:")[0], mapped = MemoryFootprint.residentOf(checkpoint.toAbsolutePath().normalize().toString());
        java.lang.ref.Reference.reachabilityFence(held);
        return String.format(Locale.ROOT, "  after %d s idle: heap committed %s, resident beyond the mapped weights %s", idleSeconds,
                MemoryFootprint.mb(committed), MemoryFootprint.mb(rss < 0 || mapped < 0 ? -1 : rss - mapped));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
