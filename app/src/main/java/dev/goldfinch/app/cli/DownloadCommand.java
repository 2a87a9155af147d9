package dev.goldfinch.app.cli;

import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.DownloadException;
import dev.goldfinch.app.models.DownloadHandle;
import dev.goldfinch.app.models.DownloadOptions;
import dev.goldfinch.app.models.DownloadProgress;
import dev.goldfinch.app.models.InstalledModel;
import dev.goldfinch.app.models.MachineMemory;
import dev.goldfinch.app.models.MachineSpeed;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.models.ModelDownloader;
import dev.goldfinch.app.models.ModelsFolder;
import dev.goldfinch.app.models.ReadingTime;
import dev.goldfinch.app.models.Recommendation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code goldfinch download --list}: the catalogue with what each model costs, whether it fits this machine and how
 * long it would take to read a 100-page document here, and the recommended model with the reason;
 * {@code goldfinch download ID}: find the model's file (the repository's listing, where the catalogue has a rule),
 * fetch it and the vocabulary, with progress on stderr, resuming what an earlier run left (Ctrl+C pauses).
 */
@Command(name = "download", mixinStandardHelpOptions = true, description = {"Download a model of the catalogue and the World vocabulary (resumes an interrupted download).",
    "--list shows the catalogue: sizes, memory in bf16 and int8, what fits this machine, how long reading a 100-page document (50k tokens) takes here, the recommended model."})
final class DownloadCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "ID", description = "The catalogue id of the model (see --list).")
    String id;

    @Option(names = "--list", description = "List the catalogue.")
    boolean list;

    @Option(names = "--dir", paramLabel = "DIR", description = "The models folder (default: ${DEFAULT-VALUE}).")
    Path dir = ModelsFolder.defaultModelsDir();

    @Option(names = "--catalogue", paramLabel = "FILE", hidden = true, description = "Another catalogue file (a mirror, tests).")
    Path catalogueFile;

    @Option(names = "--hub", paramLabel = "URL", hidden = true, description = "Where repository listings are asked (default: https://huggingface.co; tests).")
    java.net.URI hub;

    @Option(names = "--assume-memory", paramLabel = "BYTES", hidden = true, description = "List for a machine with this much memory (tests, planning).")
    Long assumeMemory;

    @Option(names = "--assume-gflops", paramLabel = "N", hidden = true, description = "List for a machine whose pre-fill sustains N GFLOP/s (tests, planning).")
    Double assumeGflops;

    @Override
    public Integer call() throws Exception {
        ModelCatalogue catalogue = catalogueFile == null ? ModelCatalogue.load() : ModelCatalogue.load(catalogueFile);
        if (list) {
            long memory = assumeMemory != null ? assumeMemory : MachineMemory.total();
            double flops = assumeGflops != null ? assumeGflops * 1e9 : MachineSpeed.prefillFlops();
            list(catalogue, System.out, memory, ReadingTime.of(catalogue, flops), assumeGflops != null ? "assumed" : "estimated");
            return 0;
        }
        if (id == null) {
            throw new IllegalArgumentException("name the model to download (goldfinch download --list shows the catalogue)");
        }
        ModelCatalogue.Entry entry = catalogue.byId(id).orElseThrow(() -> new IllegalArgumentException("no model '" + id
                + "' in the catalogue; known: " + catalogue.models().stream().map(ModelCatalogue.Entry::id).collect(Collectors.joining(", "))));
        return download(catalogue, entry);
    }

    private int download(ModelCatalogue catalogue, ModelCatalogue.Entry entry) throws Exception {
        Path models = dir.toAbsolutePath();
        var fit = ModelCatalogue.fit(entry, MachineMemory.total());
        if (fit == ModelCatalogue.Fit.TOO_BIG) {
            System.err.println("goldfinch: note: " + entry.name() + " needs " + bytes(entry.memoryInt8())
                    + " of memory even as int8, more than this machine has; downloading anyway");
        }
        DownloadHandle handle = new DownloadHandle();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> { // Ctrl+C: stop cleanly, keeping the .part for the next run
            handle.cancel();
            try {
                finished.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Line line = new Line();
        DownloadOptions options = hub == null ? DownloadOptions.defaults() : DownloadOptions.defaults().withHub(hub);
        try (ModelDownloader downloader = new ModelDownloader(options)) {
            InstalledModel installed = downloader.downloadModel(catalogue, entry, models, line::show, handle, found -> {
                line.end();
                System.err.println("goldfinch: " + found);
            });
            line.end();
            installed.unverifiedWarning().ifPresent(w -> System.err.println("goldfinch: " + w));
            System.out.println("checkpoint: " + installed.checkpoint());
            System.out.println("vocabulary: " + installed.vocab());
            System.out.println("ask with:   goldfinch ask --model " + installed.checkpoint() + " --vocab " + installed.vocab()
                    + (fit == ModelCatalogue.Fit.INT8_ONLY ? " --weights int8" : "") + " --db library.sqlite --doc FILE \"QUESTION\"");
            return 0;
        } catch (DownloadException e) {
            line.end();
            if (e.kind() != DownloadException.Kind.PAUSED) throw e;
            System.err.println("goldfinch: " + e.getMessage()); // Ctrl+C: said here, before the shutdown hook lets the JVM go
            System.err.flush();
            return 130;
        } catch (Exception e) {
            line.end();
            throw e;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    /** The catalogue for a machine with this memory and pre-fill speed ({@code how}: "estimated" or "assumed"). */
    static void list(ModelCatalogue catalogue, PrintStream out, long memory, ReadingTime reading, String how) {
        Recommendation recommended = catalogue.recommend(memory, reading);
        Path models = ModelsFolder.defaultModelsDir();
        out.printf("This machine has %s of memory and pre-fills about %s (%s). * = recommended.%n%n", bytes(memory), reading.rate(), how);
        out.printf("  %-20s %-5s %9s %9s %9s  %-9s %-17s %s%n", "ID", "KIND", "DOWNLOAD", "MEM BF16", "MEM INT8", "FITS", "READS 100 PAGES", "NAME");
        for (ModelCatalogue.Entry e : catalogue.models()) {
            String fits = switch (ModelCatalogue.fit(e, memory)) {
                case BF16 -> "yes";
                case INT8_ONLY -> "int8 only";
                case TOO_BIG -> "no";
            };
            String size = (e.downloadBytes() > 0 ? "" : "~") + bytes(e.expectedBytes());
            out.printf("%s %-20s %-5s %9s %9s %9s  %-9s %-17s %s%n", e == recommended.entry() ? "*" : " ", e.id(), e.kind(), size,
                    bytes(e.memoryBf16()), bytes(e.memoryInt8()), fits, ReadingTime.describe(reading.documentSeconds(e)), e.name());
            out.printf("  %-20s %s (%s%s)%n", "", e.note(), e.license(), e.context() > 0 ? ", trained at a " + e.context() + "-token context" : "");
        }
        out.printf("%n%s%n", recommended.reason());
        out.printf("Reading times are estimates from each model's size and this machine's speed; ~ marks a size known only roughly.%n");
        out.printf("Plus the World vocabulary (%s). Download with: goldfinch download ID [--dir DIR] (default %s)%n",
                bytes(catalogue.tokenizer().bytes()), models);
    }

    /** The progress line on stderr: redrawn in place on a terminal, every few seconds otherwise. */
    private static final class Line {
        private final boolean terminal = System.console() != null && System.console().isTerminal();
        private long lastPrint;
        private boolean open;

        synchronized void show(DownloadProgress p) {
            long now = System.nanoTime();
            boolean phaseEnd = p.phase() == DownloadProgress.Phase.DONE;
            if (!terminal && !phaseEnd && now - lastPrint < 5_000_000_000L) return;
            lastPrint = now;
            String text = p.describe();
            if (terminal) {
                System.err.print("\r" + text + "\u001b[K");
                open = true;
                if (phaseEnd) end();
            } else {
                System.err.println(text);
            }
            System.err.flush();
        }

        synchronized void end() {
            if (open) System.err.println();
            open = false;
        }
    }
}
