package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Librarian;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.ReadingEstimate;
import dev.goldfinch.app.models.ReadingTime;
import dev.goldfinch.app.recall.HeatMapPng;
import dev.goldfinch.app.recall.NeutralText;
import dev.goldfinch.app.recall.RecallCheck;
import dev.goldfinch.app.recall.RecallCost;
import dev.goldfinch.app.recall.RecallGrid;
import dev.goldfinch.app.recall.RecallPlan;
import dev.goldfinch.app.recall.RecallVerdict;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How far back a model recalls: a fact planted at each depth of documents of each length, read into a store, opened
 * again, asked for and scored; the grid is kept with the model in the store (the app shows it in File → Models…) and
 * drawn as a heat map. Says what it will cost before it starts; Ctrl+C stops it and keeps the cells scored.
 */
@Command(name = "check-recall", mixinStandardHelpOptions = true,
        description = "Check how far back a model recalls a fact planted in a long document (a grid of lengths × depths, kept in the store).")
final class CheckRecallCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--vocab", paramLabel = "V.txt", description = "The World vocabulary file (default: the one beside the model, else the one the app uses).")
    Path vocab;

    @Option(names = "--db", paramLabel = "FILE.sqlite", description = "The store the grid is kept in (default: the app's library, so the app shows it).")
    Path db;

    @Option(names = "--lengths", defaultValue = "1k,4k,16k,64k", paramLabel = "L,L,…",
            description = "Document lengths in tokens (k = 1,024; default ${DEFAULT-VALUE}).")
    String lengths;

    @Option(names = "--depths", defaultValue = "10", paramLabel = "N",
            description = "Depths per length, spread evenly from 0% (the fact opens the document) to 100% (it ends it); default ${DEFAULT-VALUE}.")
    int depths;

    @Option(names = "--facts", defaultValue = "1", paramLabel = "N",
            description = "Facts planted per document, one of them asked (more make it harder); default ${DEFAULT-VALUE}.")
    int facts;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the facts' names and codes (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "heatmap.png", description = "Write the grid as a heat map PNG.")
    Path out;

    @Option(names = "--estimate-only", description = "Say what the check would read and how long it would take, and stop.")
    boolean estimateOnly;

    @Override
    public Integer call() throws IOException {
        RecallPlan plan;
        try {
            plan = new RecallPlan(RecallPlan.parseLengths(lengths), depths, facts, seed);
        } catch (IllegalArgumentException e) {
            throw new EngineException(e.getMessage());
        }
        Settings app = Settings.load(LaunchOptions.defaultConfigDir());
        WorldTokenizer tokenizer = WorldTokenizer.load(Vocabularies.find(vocab, modelOptions.model, app));
        RecallCheck.requireFits(plan, NeutralText.load(tokenizer));
        Path store = db != null ? db : LaunchOptions.defaults().storeFor(app);
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Model model = modelOptions.load(); Library library = Library.open(store, new IngestSource(file -> null))) {
            PromptLayout layout = PromptLayout.forArchitecture(model.config().architecture().id, PromptLayout.PLAIN);
            ReadingEstimate pace = new Librarian(library, model, tokenizer, layout).readingPace(); // refuses a model it cannot use
            RecallCost cost = RecallCost.of(plan, pace);
            System.err.printf("goldfinch: recall check of %s: %d lengths × %d depths, %s; reads %,d document tokens (%,d if every document were read "
                            + "from its first token), %s on this machine%n", RecallCheck.modelName(model), plan.lengths().size(), plan.depths(),
                    plan.facts() == 1 ? "one fact per document" : plan.facts() + " facts per document, one asked", cost.tokens(), cost.unshared(),
                    ReadingTime.describe(cost.seconds()));
            if (estimateOnly) return 0;
            RecallGrid grid;
            try (CtrlC stop = CtrlC.listen()) { // the check stops at its next chunk or question and keeps the cells scored
                Path scratch = Files.createTempDirectory("goldfinch-recall-");
                ProgressLine progress = new ProgressLine();
                long t0 = System.nanoTime();
                try {
                    grid = new RecallCheck(model, tokenizer, layout, library.store(), scratch).run(plan, cost.tokens(), p -> progress.showRecall(p, t0),
                            stop::pressed);
                } finally {
                    progress.done();
                    Files.deleteIfExists(scratch);
                }
                printGrid(stdout, grid);
                if (out != null) {
                    HeatMapPng.write(grid, out);
                    System.err.println("goldfinch: heat map written to " + out);
                }
                if (!grid.finished()) {
                    System.err.printf("goldfinch: stopped; the grid so far (%d of %d cells) is kept in %s%n", grid.scoredCells(), grid.totalCells(), store);
                    return 130;
                }
                System.err.println("goldfinch: the grid is kept with the model in " + store);
            }
        }
        return 0;
    }

    /** The grid as text: a row per length with each depth's share recalled, its verdict, and the model's. */
    static void printGrid(PrintStream out, RecallGrid grid) {
        StringBuilder head = new StringBuilder(String.format("%-8s", "length"));
        for (int d = 0; d < grid.depths().size(); d++) head.append(String.format("%6s", grid.depthLabel(d)));
        out.println(head.append("  verdict"));
        for (int length : grid.lengths()) {
            StringBuilder row = new StringBuilder(String.format("%-8s", RecallPlan.label(length)));
            for (int d = 0; d < grid.depths().size(); d++) {
                row.append(String.format("%6s", grid.share(length, d).map(s -> Math.round(s * 100) + "%").orElse("–")));
            }
            out.println(row.append("  ").append(RecallVerdict.of(grid, length)));
        }
        out.println(grid.model() + ": " + RecallVerdict.overall(grid));
    }

}
