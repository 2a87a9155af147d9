package dev.goldfinch.app.recall;

import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Librarian;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.OpenDocument;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.Prefill;
import dev.goldfinch.engine.model.RestoreProgress;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.reading.DocumentTokens;
import dev.goldfinch.engine.reading.PrefillCancelledException;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredRecallCheck;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs a recall check with one model. For each length: the documents of its depths are written as text files and
 * added to a library of their own (a scratch store in {@code scratch}, so the person's library gets none of them),
 * read into it by the model (their common beginnings once: {@link RecallCost}), then that store is opened again
 * and each document opened from its saved reading (no reading again), asked for its fact (greedy, a short answer)
 * and scored. The grid is written to {@code gridStore} after every cell: a check stopped (cancel, Ctrl+C) keeps the
 * cells it scored, and the run says it did not finish.
 */
public final class RecallCheck {
    /** Answer tokens: enough for "The access code of the blue archive is 7261." */
    static final int ANSWER_LENGTH = 24;
    private static final int CHUNK = 256;

    /** How far a check is: the step in words, document tokens read of those planned, cells scored. */
    public record Progress(String step, long tokensRead, long tokensPlanned, int cellsScored, int cellsTotal, RecallGrid grid) {
        public double fraction() {
            return tokensPlanned == 0 ? 0 : Math.min(1, (double) tokensRead / tokensPlanned);
        }
    }

    @FunctionalInterface
    public interface Listener {
        void onProgress(Progress p);
    }

    private final Model model;
    private final WorldTokenizer tokenizer;
    private final PromptLayout layout;
    private final DocumentStore gridStore;
    private final Path scratch;

    public RecallCheck(Model model, WorldTokenizer tokenizer, PromptLayout layout, DocumentStore gridStore, Path scratch) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.layout = layout;
        this.gridStore = gridStore;
        this.scratch = scratch;
    }

    /** The model's name as the grid records it: its checkpoint's file name without ".pth". */
    public static String modelName(Model model) {
        return model.checkpoint().path().getFileName().toString().replaceFirst("\\.pth$", "");
    }

    /** Refuses, in one line, a plan the shipped text is too short for. */
    public static void requireFits(RecallPlan plan, NeutralText text) {
        int longest = plan.lengths().getLast();
        if (longest > text.tokens()) {
            throw new EngineException(String.format("the recall check's text (Pride and Prejudice) has %,d tokens: lengths up to %s; %s is beyond it",
                    text.tokens(), RecallPlan.label(text.tokens() / 1024 * 1024), RecallPlan.label(longest)));
        }
    }

    /**
     * Runs the plan; {@code planned} is the reading's size from {@link RecallCost} (for the progress). The grid comes
     * back finished, or not when {@code cancelled} stopped it (the cells scored are kept in the store either way).
     */
    public RecallGrid run(RecallPlan plan, long planned, Listener listener, BooleanSupplier cancelled) {
        return run(plan, planned, listener, cancelled, () -> { });
    }

    /**
     * Like {@link #run(RecallPlan, long, Listener, BooleanSupplier)}, running {@code betweenChunks} after every chunk
     * read and every question (the window's questions are answered there, not after the whole check).
     */
    public RecallGrid run(RecallPlan plan, long planned, Listener listener, BooleanSupplier cancelled, Runnable betweenChunks) {
        NeutralText text = NeutralText.load(tokenizer);
        requireFits(plan, text);
        FactPlanter planter = new FactPlanter(text, plan.seed());
        RecallGrid grid = RecallGrid.start(modelName(model), System.currentTimeMillis(), plan);
        StoredRecallCheck row = gridStore.recallChecks().begin(model.checkpoint().identity(), grid.model(), grid.toJson());
        Counter read = new Counter(planned, grid.totalCells(), listener);
        try {
            Files.createDirectories(scratch);
            for (int length : plan.lengths()) {
                List<FactPlanter.Planted> docs = planter.plant(length, plan.depthShares(), plan.facts());
                Path storeFile = scratch.resolve("recall-" + length + ".sqlite");
                deleteStore(storeFile);
                long[] ids = new long[docs.size()];
                try (Library library = Library.open(storeFile, new IngestSource(file -> null))) {
                    Librarian librarian = new Librarian(library, model, tokenizer, layout);
                    for (int i = 0; i < docs.size(); i++) {
                        Path file = Files.writeString(scratch.resolve("recall-" + length + "-" + i + ".txt"), docs.get(i).text());
                        ids[i] = library.add(file, tokenizer).documentId();
                        Files.delete(file);
                    }
                    readSharingBeginnings(librarian, ids, grid, length, read, cancelled, betweenChunks);
                }
                // Opened again: every answer comes from a reading as the store gives it back.
                try (Library library = Library.open(storeFile, new IngestSource(file -> null))) {
                    Librarian librarian = new Librarian(library, model, tokenizer, layout);
                    for (int i = 0; i < docs.size(); i++) {
                        if (cancelled.getAsBoolean()) throw new PrefillCancelledException(0);
                        grid = grid.with(ask(librarian, ids[i], docs.get(i), i, cancelled));
                        row = gridStore.recallChecks().update(row, grid.toJson(), false);
                        read.scored(grid, "scored " + RecallPlan.label(length) + " at depth " + grid.depthLabel(i));
                        betweenChunks.run();
                    }
                }
                deleteStore(storeFile);
            }
            grid = grid.finish();
            gridStore.recallChecks().update(row, grid.toJson(), true);
            return grid;
        } catch (PrefillCancelledException stopped) {
            return grid; // the cells scored are in the store already; the run stays unfinished
        } catch (IOException e) {
            throw new UncheckedIOException("the recall check's scratch folder " + scratch + ": " + e.getMessage(), e);
        } finally {
            for (int length : plan.lengths()) deleteStore(scratch.resolve("recall-" + length + ".sqlite"));
        }
    }

    /**
     * Reads the documents of one length in depth order. Each document's reading goes on from a state that has read
     * the beginning it shares with the next document (read once, moved on from document to document), so the text
     * before a fact is read once for all the depths after it.
     */
    private void readSharingBeginnings(Librarian librarian, long[] ids, RecallGrid grid, int length, Counter read, BooleanSupplier cancelled,
                                       Runnable betweenChunks) {
        DocumentStore store = librarian.library().store();
        DocumentTokens reading = DocumentTurn.reading(layout, tokenizer);
        int[][] tokens = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) tokens[i] = reading.of(store, ids[i]);
        InferenceState common = model.newState();
        Prefill shared = new Prefill(model, common);
        double sharedSeconds = 0;
        for (int i = 0; i < ids.length; i++) {
            int[] t = tokens[i];
            if (!startsWith(t, common)) { // not expected (the documents are cut from one text): start the common part afresh
                common = model.newState();
                shared = new Prefill(model, common);
                sharedSeconds = 0;
            }
            int target = i + 1 < ids.length ? commonLength(t, tokens[i + 1]) : common.position();
            target = Math.min(target, t.length - Math.max(1, shared.tailLength()) - 1);
            String step = "reading " + RecallPlan.label(length) + " at depth " + grid.depthLabel(i);
            while (common.position() < target) {
                if (cancelled.getAsBoolean()) throw new PrefillCancelledException(0);
                int n = Math.min(CHUNK, target - common.position());
                long t0 = System.nanoTime();
                shared.feed(t, common.position(), n);
                sharedSeconds += (System.nanoTime() - t0) / 1e9; // the time given to other work between chunks is not the reading's
                read.read(n, step);
                betweenChunks.run();
            }
            DocumentReader.Start start = common.position() > 0 ? new DocumentReader.Start(common, sharedSeconds) : null;
            int[] last = {common.position()};
            librarian.reader().prefill(ids[i], CachePrecision.F16, p -> {
                read.read(p.done() - last[0], step);
                last[0] = p.done();
            }, cancelled, betweenChunks, start);
        }
    }

    private static boolean startsWith(int[] tokens, InferenceState state) {
        int p = state.position();
        return p <= tokens.length && java.util.Arrays.equals(state.tokens(0, p), 0, p, tokens, 0, p);
    }

    private static int commonLength(int[] a, int[] b) {
        int n = Math.min(a.length, b.length), i = java.util.Arrays.mismatch(a, 0, n, b, 0, n);
        return i < 0 ? n : i;
    }

    /** Opens the document from its saved reading, asks for its fact and scores the answer. */
    private RecallGrid.Cell ask(Librarian librarian, long id, FactPlanter.Planted doc, int depth, BooleanSupplier cancelled) {
        OpenDocument open = librarian.open(id, RestoreProgress.NONE);
        AnswerOptions options = new AnswerOptions(SamplingOptions.greedy(), ANSWER_LENGTH, layout, 0);
        Answer a = librarian.ask(open.snapshot().copy(), doc.asked().question(), options, t -> { }, t -> { }, cancelled);
        if (a.stopReason() == Answer.StopReason.CANCELLED) throw new PrefillCancelledException(0); // a cut answer is not scored
        String answer = a.text().strip();
        boolean recalled = RecallScore.recalled(answer, doc.asked().expected());
        return new RecallGrid.Cell(doc.length(), depth, librarian.reader().tokenCount(id), 1, recalled ? 1 : 0, doc.asked().question(),
                doc.asked().expected(), answer);
    }

    private static void deleteStore(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException e) {
                System.getLogger(RecallCheck.class.getName()).log(System.Logger.Level.WARNING, "cannot delete " + file + suffix + ": " + e.getMessage());
            }
        }
    }

    /** Tokens read and cells scored, told to the listener. */
    private static final class Counter {
        private final long planned;
        private final int cells;
        private final Listener listener;
        private long read;
        private int scored;
        private RecallGrid grid;

        Counter(long planned, int cells, Listener listener) {
            this.planned = planned;
            this.cells = cells;
            this.listener = listener;
        }

        void read(long tokens, String step) {
            read += Math.max(0, tokens);
            listener.onProgress(new Progress(step, read, Math.max(planned, read), scored, cells, grid));
        }

        void scored(RecallGrid g, String step) {
            grid = g;
            scored = g.scoredCells();
            listener.onProgress(new Progress(step, read, Math.max(planned, read), scored, cells, g));
        }
    }
}
