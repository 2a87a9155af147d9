package dev.goldfinch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.answer.ScriptedModel;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `goldfinch ask` end to end: a real PDF, a random GoldFinch with the World vocabulary, a real store file. */
public class AskCommandTest {
    @TempDir
    Path dir;

    public static final Path VOCAB = Path.of(System.getProperty("goldfinch.shared", "../../shared"), "tokenizer", "rwkv_vocab_v20230424.txt");

    @Test
    void asksTwiceReadingTheDocumentOnlyOnceAndCitesPages() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path pdf = dir.resolve("contract.pdf");
        writePdf(pdf, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        Path db = dir.resolve("store.sqlite");
        String[] args = {"ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", pdf.toString(),
            "--greedy", "--max-new", "12", "--sources", "When is the rent due?"};

        String first = run(args);
        CacheInfo cache;
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals(1, store.documents().all().size());
            cache = store.readings().all().get(0);
            assertTrue(cache.complete());
        }
        String second = run(args);
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals(1, store.readings().all().size());
            assertEquals(cache.seconds(), store.readings().all().get(0).seconds(), "the second question did not read the document again");
        }
        assertEquals(first, second, "greedy answers from the same saved cache are the same");
        assertTrue(first.contains("sources (where the model looked):"), "a GoldFinch's sources are where its attention went: " + first);
        assertTrue(first.matches("(?s).*\\[page [12]].*"), "sources cite pages: " + first);
    }

    /**
     * A model without attention layers (Finch) cites too: the label says its sources are the passages matching the
     * answer, and each names its page; the sentence with the question's words comes first. A question that matches
     * nothing says so in one line.
     */
    @Test
    void aFinchModelsSourcesAreThePassagesMatchingTheAnswerWithTheirPages() throws Exception {
        Path model = RandomModels.write(dir.resolve("finch.pth"), Architecture.FINCH, 2, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 3);
        Path pdf = dir.resolve("lease.pdf");
        writePdf(pdf, dev.goldfinch.app.library.TextMatchSourcesTest.PAGES);
        Path db = dir.resolve("store.sqlite");
        String out = run("ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", pdf.toString(),
                "--greedy", "--max-new", "8", "--sources", "When is the rent due?");
        assertTrue(out.contains("\nsources (passages matching the answer):\n"), out);
        assertTrue(!out.contains("attention layers to cite"), out);
        List<String> cited = sourceLines(out);
        assertTrue(!cited.isEmpty(), out);
        assertTrue(cited.getFirst().matches("  \\[page 3] \\(\\d+%\\) The rent is due on the third day of each month\\."), cited.getFirst());
        for (String line : cited) assertTrue(line.matches("  \\[page [123]] \\(\\d+%\\) .+"), "each names its page: " + line);

        String none = run("ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", pdf.toString(),
                "--greedy", "--max-new", "1", "--sources", "Is it this?");
        assertTrue(none.contains("\nsources (passages matching the answer): no matching passage"), none);
    }

    /** Sources of a long text file name its lines, those of a Markdown file its sections by heading; each quote is where its label says. */
    @Test
    void sourcesOfTextAndMarkdownNameLinesAndHeadings() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path db = dir.resolve("store.sqlite");
        StringBuilder notes = new StringBuilder();
        String[] birds = {"goldfinch", "siskin", "linnet", "redpoll", "twite"};
        for (int line = 1; line <= 200; line++) {
            notes.append(line % 6 == 0 ? "\n" : "Note " + line + " says the " + birds[line % birds.length] + " ate seeds.\n");
        }
        Path txt = Files.writeString(dir.resolve("notes.txt"), notes);
        String txtOut = run("ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", txt.toString(),
                "--greedy", "--max-new", "6", "--sources", "What did the siskin eat?");
        List<String> fileLines = notes.toString().lines().toList();
        List<String> cited = sourceLines(txtOut);
        assertTrue(!cited.isEmpty(), txtOut);
        for (String source : cited) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("  \\[lines (\\d+)\u2013(\\d+)] \\(\\d+%\\) (.*)").matcher(source);
            assertTrue(m.matches(), "a text's source names its lines: " + source);
            String lines = String.join(" ", fileLines.subList(Integer.parseInt(m.group(1)) - 1, Integer.parseInt(m.group(2))));
            String quote = m.group(3);
            assertTrue(lines.contains(quote.substring(0, Math.min(20, quote.length()))), source + " lies in those lines");
        }

        Path md = Files.writeString(dir.resolve("birds.md"), """
                # Finches

                The goldfinch eats thistle seeds.

                ## Siskins

                The siskin hangs upside down on alder cones.

                ## Linnets

                The linnet sings from the top of a gorse bush.
                """);
        String mdOut = run("ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", md.toString(),
                "--greedy", "--max-new", "6", "--sources", "Where does the siskin hang?");
        List<String> mdCited = sourceLines(mdOut);
        assertTrue(!mdCited.isEmpty(), mdOut);
        for (String source : mdCited) {
            assertTrue(source.matches("  \\[section (1, Finches|2, Siskins|3, Linnets)] .*"), "a Markdown source names its heading: " + source);
        }
    }

    /** The lines after the sources' heading ("sources (where the model looked):"). */
    static List<String> sourceLines(String out) {
        List<String> lines = out.lines().toList();
        int heading = 0;
        while (heading < lines.size() && !lines.get(heading).matches("sources \\(.*\\):")) heading++;
        return lines.subList(Math.min(heading + 1, lines.size()), lines.size());
    }

    /** A damaged saved reading: `ask` says so in one line, reads the document again and answers as before; cache-stats lists it. */
    @Test
    void aDamagedReadingIsSaidReadAgainAndAnsweredTheSame() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path pdf = dir.resolve("ledger.pdf");
        writePdf(pdf, "The ledger lists every payment.", "The last payment was in March.");
        Path db = dir.resolve("store.sqlite");
        String[] args = {"ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", pdf.toString(),
            "--greedy", "--max-new", "8", "When was the last payment?"};
        String before = run(args);
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            s.executeUpdate("UPDATE cache_states SET att_shift = randomblob(length(att_shift)) WHERE layer = 1");
        }
        String stats = run("cache-stats", "--db", db.toString());
        assertTrue(stats.contains("damaged: layer 1's state fails its checksum"), stats);
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        String after;
        try {
            after = run(args);
        } finally {
            System.setErr(oldErr);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("goldfinch: the saved reading of 'ledger.pdf' is damaged (layer 1's state fails its checksum); it will be read again"), said);
        assertEquals(before, after, "the same answer from the reading done again");
    }

    /** --layout g1: the document is read once as the G1 System turn, and sources still cite its pages. */
    @Test
    void g1ReadsTheDocumentTurnOnceAndCitesPages() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path pdf = dir.resolve("contract.pdf");
        writePdf(pdf, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        Path db = dir.resolve("store.sqlite");
        String[] args = {"ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", pdf.toString(),
            "--layout", "g1", "--greedy", "--max-new", "12", "--sources", "When is the rent due?"};
        String first = run(args);
        CacheInfo cache;
        try (DocumentStore store = DocumentStore.open(db)) {
            long doc = store.documents().all().getFirst().id();
            String text = store.documents().text(doc);
            cache = store.readings().all().getFirst();
            WorldTokenizer tokenizer = WorldTokenizer.load(VOCAB);
            int[] turn = DocumentTurn.of(PromptLayout.G1, text, store.documents().tokens(doc), tokenizer).tokens();
            assertEquals(turn.length, cache.totalTokens(), "the cache holds the G1 document turn");
            assertEquals(DocumentStore.tokensHash(turn), cache.tokensHash());
        }
        String second = run(args);
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals(cache.seconds(), store.readings().all().getFirst().seconds(), "the second question did not read the document again");
        }
        assertEquals(first, second);
        assertTrue(first.matches("(?s).*\\[page [12]].*"), "sources cite pages: " + first);
    }

    /** --think lets a G1 model think first: the thought goes to standard error, the answer alone to standard output. */
    @Test
    void thinkPutsTheThoughtOnStandardErrorAndTheAnswerOnStandardOutput() throws Exception {
        WorldTokenizer tokenizer = WorldTokenizer.load(VOCAB);
        int[] prompt = tokenizer.encode(PromptLayout.G1.questionTurn("When is the rent due?", true, "\n\n"));
        int[] script = ids(tokenizer, ">", "\n", "Let", " me", " see", "</", "think", ">", "\n", "Yes", ".");
        Path model = ScriptedModel.write(dir.resolve("scripted.pth"), prompt[prompt.length - 1], script);
        Path doc = Files.writeString(dir.resolve("lease.txt"), "The rent is due on the third day of each month.\n\n\nThe lease starts in May.");
        Path db = dir.resolve("store.sqlite");
        List<String> common = List.of("ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", doc.toString(),
                "--layout", "g1", "--temperature", "0", "--presence-penalty", "10", "--max-new", "20");

        Output thought = runBoth(with(common, "--think", "When", "is", "the", "rent", "due?"));
        assertEquals(0, thought.code());
        assertEquals("Yes.\n", thought.out(), "standard output holds the answer alone");
        assertTrue(thought.err().contains("Let me see"), thought.err());
        assertTrue(!thought.err().contains("think>"), "no tag: " + thought.err());
        assertEquals(afterTheFirstLine(thought), afterTheFirstLine(runBoth(with(common, "--think", "on", "When is the rent due?"))),
                "--think on is --think, and 'When' stayed in the question");

        Output fast = runBoth(with(common, "--think", "off", "When is the rent due?"));
        assertEquals(0, fast.code());
        assertTrue(!fast.err().contains("Let me see"), "off: no thought apart: " + fast.err());
        assertEquals(afterTheFirstLine(fast), afterTheFirstLine(runBoth(with(common, "When is the rent due?"))), "off is the default");

        Output plain = runBoth("ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", doc.toString(),
                "--layout", "plain", "--think", "Why?");
        assertTrue(plain.code() != 0, "--think needs the g1 layout");
        assertTrue(plain.err().contains("--think needs the g1 layout"), plain.err());
    }

    /**
     * Without --vocab and --db, ask uses the vocabulary beside the model and the app's library; before it answers it
     * says what the question costs: a reading from the start, a reading resumed (at how many tokens), or none (the
     * saved reading, from when).
     */
    @Test
    void withoutVocabOrStoreItUsesTheAppsAndSaysWhatTheReadingDoes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("XDG_DATA_HOME") == null && System.getenv("XDG_CONFIG_HOME") == null
                && System.getenv("GOLDFINCH_CONFIG") == null, "the app's folders are set by the environment here");
        Path models = Files.createDirectory(dir.resolve("models"));
        Path model = RandomModels.write(models.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Files.copy(VOCAB, models.resolve("rwkv_vocab_v20230424.txt"));
        Path pdf = dir.resolve("contract.pdf");
        writePdf(pdf, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        String home = System.getProperty("user.home");
        System.setProperty("user.home", dir.toString());
        try {
            String[] args = {"ask", "--model", model.toString(), "--doc", pdf.toString(), "--greedy", "--max-new", "4", "When is the rent due?"};
            Output first = runBoth(args);
            assertEquals(0, first.code(), first.err());
            assertTrue(first.err().matches("(?s)goldfinch: reading 'The lease starts on the first of May.' once \\(\\d+ tokens, (under 1 min|about \\d+ min) on this machine\\); "
                    + "later questions about it start from the saved reading(?:\n.*)?"), first.err());
            Path library = dir.resolve(".local/share/goldfinch/library.sqlite");
            assertTrue(Files.isRegularFile(library), "the app's library");
            Output second = runBoth(args);
            assertTrue(second.err().matches("(?s)goldfinch: answering from the saved reading of 'The lease starts on the first of May.' \\(\\d+ tokens, read on "
                    + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d in \\d+ s\\); nothing is read again\n"
                    + "rebuilding attention from the saved reading: (\\d+)/\\1 tokens \\(100%\\)(?:\n.*)?"), second.err());
            assertEquals(first.out(), second.out());
            // a reading left half done resumes where it stopped, and says so
            try (DocumentStore store = DocumentStore.open(library);
                 dev.goldfinch.engine.model.Model m = dev.goldfinch.engine.model.ModelLoader.load(model, java.util.OptionalDouble.empty())) {
                CacheInfo c = store.readings().all().getFirst();
                assertThrows(dev.goldfinch.engine.EngineException.class, () -> store.readings().rewind(c.id(), c.totalTokens()), "its end is no checkpoint");
                store.readings().delete(c.id());
                dev.goldfinch.engine.reading.DocumentReader reader = new dev.goldfinch.engine.reading.DocumentReader(store, m).chunkTokens(8).checkpointEvery(8);
                int[] done = {0};
                assertThrows(dev.goldfinch.engine.reading.PrefillCancelledException.class, () -> reader.prefill(c.documentId(),
                        dev.goldfinch.engine.store.CachePrecision.F16, p -> done[0] = p.done(), () -> done[0] >= 16));
            }
            Output third = runBoth(args);
            assertTrue(third.err().matches("(?s)goldfinch: resuming the reading of 'The lease starts on the first of May.' at 16 of \\d+ tokens; the rest takes (under 1 min|about \\d+ min) on this machine(?:\n.*)?"), third.err());
            // (not the same greedy answer to the letter: a resumed f16 reading's last states attend to the rounded cc_t, see DocumentReaderTest)
            assertEquals(0, third.code(), third.err());
            assertTrue(!third.out().isBlank());
        } finally {
            System.setProperty("user.home", home);
        }
    }

    /** A checkpoint made for a smaller vocabulary is refused in words, before anything is read or stored. */
    @Test
    void aModelOfAnotherVocabularyIsRefusedInWords() throws Exception {
        Path model = RandomModels.write(dir.resolve("small-vocab.pth"), Architecture.GOLDFINCH, 2, 64, 512, DType.BF16, 3);
        Path pdf = dir.resolve("contract.pdf");
        writePdf(pdf, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        Path db = dir.resolve("store.sqlite");
        Output o = runBoth("ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", pdf.toString(), "Why?");
        assertEquals(1, o.code());
        assertTrue(o.err().matches("goldfinch: this checkpoint \\(small-vocab.pth\\) has 512 tokens; the World vocabulary has 65,\\d{3}: they were not made for each other\\s*"), o.err());
        try (DocumentStore store = DocumentStore.open(db)) {
            assertTrue(store.documents().all().isEmpty(), "nothing was added");
        }
    }

    static int[] ids(WorldTokenizer tokenizer, String... pieces) {
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            int[] one = tokenizer.encode(pieces[i]);
            assertEquals(1, one.length, pieces[i]);
            out[i] = one[0];
        }
        return out;
    }

    static String[] with(List<String> common, String... more) {
        List<String> all = new java.util.ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    record Output(int code, String out, String err) {
    }

    /** The output without the first line of standard error (what the reading does: the first run reads, the next ones do not). */
    static Output afterTheFirstLine(Output o) {
        assertTrue(o.err().startsWith("goldfinch: reading '") || o.err().startsWith("goldfinch: answering from the saved reading"), o.err());
        int nl = o.err().indexOf('\n');
        return new Output(o.code(), o.out(), nl < 0 ? "" : o.err().substring(nl + 1));
    }

    /** Runs a command; standard error without the reading progress lines. */
    static Output runBoth(String... args) {
        Output o = captured(args);
        String e = o.err().lines().filter(l -> !l.startsWith("reading: ")).collect(java.util.stream.Collectors.joining("\n"));
        return new Output(o.code(), o.out(), e);
    }

    /** Runs a command; its exit code, standard output and standard error as they were. */
    static Output captured(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = GoldfinchCommand.run(args);
            return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, GoldfinchCommand.run(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    public static void writePdf(Path file, String... pages) throws Exception {
        dev.goldfinch.app.TestPdfs.write(file, null, pages);
    }
}
