package dev.goldfinch.ingest.pdf;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import dev.goldfinch.ingest.Job;

/**
 * The {@code tesseract} program: where it is (on the PATH, looked up once), which languages to ask it for, and its
 * processes, run one thread each and waited for while the job's cancel flag is polled, so that the file's time limit
 * kills them (their own children too) instead of waiting for them.
 */
public final class Tesseract {
    private static final System.Logger LOG = System.getLogger(Tesseract.class.getName());
    /** How often the cancel flag is polled while tesseract runs. */
    private static final long POLL_MILLIS = 50;

    /** How a person gets tesseract, in one line (the end of a message that says it is missing). */
    public static final String HOW_TO_INSTALL = "install it to OCR this file (Debian/Ubuntu: sudo apt install "
            + "tesseract-ocr; macOS: brew install tesseract; Windows: the UB Mannheim installer)";

    private static volatile Path found;
    private static volatile boolean looked;
    /** Tests: the program to use instead of the one on the PATH (a missing file means "not installed"). */
    private static volatile Path forced;
    private static volatile String languages;

    private Tesseract() {
    }

    /** True if tesseract can be run here. */
    public static boolean available() {
        return program() != null;
    }

    /** The tesseract program, or null if it is not installed. */
    static Path program() {
        Path f = forced;
        if (f != null) {
            return Files.isRegularFile(f) && Files.isExecutable(f) ? f : null;
        }
        if (!looked) {
            found = locate("tesseract");
            looked = true;
        }
        return found;
    }

    /** Tests: use {@code program} as tesseract (null: the one on the PATH again). */
    static void force(Path program) {
        forced = program;
        languages = null;
    }

    static boolean findOnPath(String program) {
        return locate(program) != null;
    }

    private static Path locate(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path p = Path.of(dir, windows ? program + ".exe" : program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Tesseract failed on a page (crashed, misses its language data, could not read the image). */
    static final class OcrFailure extends IOException {
        OcrFailure(String message) {
            super(message);
        }
    }

    /** How many tesseract processes one file may run at once (each on one thread, see {@link #launch}). */
    static int parallelism() {
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
    }

    /** Starts tesseract with {@code cmd}, its output and errors to {@code log}. */
    static Process launch(List<String> cmd, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // one thread per process: tesseract's OpenMP threads spin and make a page slower (measured: 1.5-2 s a page
        // with one thread, 4.7-5.3 s without the limit, on a busy 2-core machine); pages run side by side instead
        pb.environment().put("OMP_THREAD_LIMIT", "1");
        return pb.start();
    }

    /** Runs tesseract to the end, its output to {@code log}. */
    private static void run(Job job, List<String> cmd, Path log) throws IOException {
        await(job, launch(cmd, log), log);
    }

    /** Waits for a tesseract process, killing it when the job is cancelled. */
    static void await(Job job, Process p, Path log) throws IOException {
        try {
            while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (job.cancelled()) {
                    kill(p);
                    throw new CancellationException("time limit reached");
                }
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new OcrFailure("exit code " + p.exitValue() + ": " + lastLine(log));
        }
    }

    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no tesseract log", e);
        }
        return "no message";
    }

    /**
     * The {@code -l} argument: English if its data is installed, else every installed language (so that a
     * machine with only German data reads German), or null (tesseract's default) if the list cannot be had.
     * Asked once per program; the job's cancel flag stops the asking as it stops OCR.
     */
    static String languages(Job job, Path program, Path dir) {
        String l = languages;
        if (l == null) {
            l = "";
            Path out = dir.resolve("languages.txt");
            try {
                run(job, List.of(program.toString(), "--list-langs"), out);
                Set<String> langs = new LinkedHashSet<>();
                for (String s : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    String t = s.strip();
                    if (t.matches("[A-Za-z_]+") && !t.equals("osd") && !t.equals("equ")) {
                        langs.add(t);
                    }
                }
                l = langs.contains("eng") ? "eng" : String.join("+", langs);
            } catch (IOException | RuntimeException e) {
                if (e instanceof CancellationException c) {
                    throw c;
                }
                LOG.log(System.Logger.Level.DEBUG, "could not list tesseract's languages", e);
            } finally {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "could not delete " + out, e);
                }
            }
            languages = l;
        }
        return l.isEmpty() ? null : l;
    }
}
