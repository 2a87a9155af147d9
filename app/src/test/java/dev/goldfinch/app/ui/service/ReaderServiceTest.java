package dev.goldfinch.app.ui.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.engine.store.Conversation;
import dev.goldfinch.engine.store.Message;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.model.RestoreProgress;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.reading.PrefillCancelledException;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.ingest.IngestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window's engine side without a window: import, read, answer from the snapshot, reopen, remove. */
class ReaderServiceTest {
    static final Path VOCAB = Path.of(System.getProperty("goldfinch.shared", "../../shared"), "tokenizer/rwkv_vocab_v20230424.txt");
    static Path model;

    @TempDir
    static Path models;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModel() {
        model = RandomModels.write(models.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 5);
    }

    static final AnswerOptions GREEDY = new AnswerOptions(SamplingOptions.greedy(), 12, PromptLayout.PLAIN, 0);

    ReaderService open() throws Exception {
        ReaderService s = ReaderService.open(dir.resolve("store.sqlite"), new IngestSource(f -> null), Runnable::run).get(30, TimeUnit.SECONDS);
        s.setCheckpointEvery(64);
        s.loadModel(model, VOCAB, 2, WeightFormat.STORED).get(60, TimeUnit.SECONDS);
        return s;
    }

    Path text(String name, int sentences) throws Exception {
        StringBuilder sb = new StringBuilder("Notes on reading\n\n");
        for (int i = 0; i < sentences; i++) sb.append("Sentence ").append(i).append(" tells the goldfinch about seeds and thistles. ");
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    /** The service's reading pace, once its probe (run beside the model thread after a load) has measured it. */
    static dev.goldfinch.app.library.ReadingEstimate pace(ReaderService s) throws InterruptedException {
        for (int i = 0; i < 300 && s.readingPace().isEmpty(); i++) Thread.sleep(50);
        return s.readingPace().orElseThrow();
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(120, TimeUnit.SECONDS);
    }

    @Test
    void readsOnceAndAnswersEveryQuestionFromTheDocumentAlone() throws Exception {
        long doc;
        String q2alone;
        try (ReaderService s = open()) {
            assertFalse(pace(s).measured(), "before its first reading, the pace is the machine's probed speed");
            dev.goldfinch.app.library.Library.Added imp = get(s.importFile(text("notes.txt", 60)));
            doc = imp.documentId();
            assertFalse(imp.alreadyThere());
            assertEquals("Notes on reading", imp.title());
            assertTrue(get(s.importFile(text("notes.txt", 60))).alreadyThere(), "the same content is one document");
            assertEquals(CacheState.NOT_READ, get(s.library()).getFirst().state());

            Job<CacheInfo> job = s.read(doc, p -> { });
            // The window refreshes the library from a handler on the job's result; the reading must already count
            // as finished there (the handler holds the thread that would otherwise take the job out of the map).
            java.util.concurrent.CompletableFuture<CacheState> seenOnCompletion = new java.util.concurrent.CompletableFuture<>();
            job.result().whenComplete((r, t) -> seenOnCompletion.complete(s.library().join().getFirst().state()));
            CacheInfo info = get(job.result());
            assertTrue(info.complete());
            assertEquals(CacheState.READY, get(seenOnCompletion), "the library as the window sees it when the reading completes");
            DocumentStatus st = get(s.library()).getFirst();
            assertEquals(CacheState.READY, st.state());
            assertEquals(st.tokens(), s.tokensRead());
            assertTrue(st.cacheBytes() > 0);

            StringBuilder streamed = new StringBuilder();
            Reply r1 = get(s.ask(doc, "What do goldfinches eat?", GREEDY, streamed::append).result());
            Answer a1 = r1.answer();
            assertEquals(a1.text(), streamed.toString().strip(), "the streamed text is the answer");
            assertFalse(r1.sources().isEmpty(), "a GoldFinch answer cites the passages its attention went to");
            String text = get(s.documentText(doc)).text();
            for (Source src : r1.sources()) {
                assertTrue(0 <= src.start() && src.start() < src.end() && src.end() <= text.length(), src.toString());
                assertEquals(text.substring(src.start(), src.end()).replaceAll("\\s+", " ").strip(), src.text());
                assertEquals(1, src.page());
            }
            Answer a2 = get(s.ask(doc, "Where do they live?", GREEDY, x -> { }).result()).answer();
            q2alone = a2.text();
            assertEquals(1, s.documentsOpened(), "the opened document is kept for the next question");
        }
        try (ReaderService s = open()) {
            assertTrue(pace(s).measured(), "the pace of the reading in the store");
            // The first question after a restart rebuilds the GOLD layers' keys and values from the saved cache, and says how far it is.
            List<int[]> rebuilt = new ArrayList<>();
            int positions = get(s.library()).getFirst().positions();
            Answer alone = get(s.ask(doc, null, "Where do they live?", GREEDY, (done, total) -> rebuilt.add(new int[] {done, total}), x -> { }, x -> { })
                    .result()).answer();
            assertFalse(rebuilt.isEmpty(), "the rebuilding is reported");
            for (int i = 0; i < rebuilt.size(); i++) {
                assertEquals(positions, rebuilt.get(i)[1]);
                assertTrue(rebuilt.get(i)[0] > (i == 0 ? 0 : rebuilt.get(i - 1)[0]), "it only moves on");
            }
            assertEquals(positions, rebuilt.getLast()[0], "it ends with every position rebuilt");
            rebuilt.clear();
            get(s.ask(doc, null, "Where do they live?", GREEDY, (done, total) -> rebuilt.add(new int[] {done, total}), x -> { }, x -> { }).result());
            assertTrue(rebuilt.isEmpty(), "an opened document is not rebuilt again");
            assertEquals(q2alone, alone.text(), "question 2 saw only the document, not question 1");
            assertEquals(0, s.tokensRead());
            assertEquals(0, s.lastOpenRecurrentSteps());
            get(s.remove(doc));
            assertTrue(get(s.library()).isEmpty());
        }
    }

    /** A damaged reading: the question says so in one line, the reading goes, the other document keeps its own; reading again answers. */
    @Test
    void aDamagedReadingIsSaidAndGoesAndReadingAgainAnswers() throws Exception {
        long ledger, atlas;
        try (ReaderService s = open()) {
            ledger = get(s.importFile(text("ledger.txt", 30))).documentId();
            atlas = get(s.importFile(Files.writeString(dir.resolve("atlas.txt"), "The atlas maps the thistle fields. ".repeat(20)))).documentId();
            get(s.read(ledger, p -> { }).result());
            get(s.read(atlas, p -> { }).result());
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.sqlite")); var st = c.createStatement()) {
            st.executeUpdate("UPDATE cache_chunks SET cc = randomblob(length(cc)) WHERE cache_id IN (SELECT id FROM caches WHERE document_id = " + ledger + ")");
        }
        try (ReaderService s = open()) {
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> get(s.ask(ledger, "What is in it?", GREEDY, x -> { }).result()));
            String message = e.getCause().getMessage();
            assertTrue(message.matches("the saved reading of '.*' is damaged \\(the rows at position 0 fail their checksum\\); read the document again .*"), message);
            assertEquals(1, message.lines().count());
            List<DocumentStatus> lib = get(s.library());
            assertEquals(CacheState.NOT_READ, lib.stream().filter(d -> d.document().id() == ledger).findFirst().orElseThrow().state());
            assertEquals(CacheState.READY, lib.stream().filter(d -> d.document().id() == atlas).findFirst().orElseThrow().state(), "the other document keeps its reading");
            get(s.read(ledger, p -> { }).result());
            assertFalse(get(s.ask(ledger, "What is in it?", GREEDY, x -> { }).result()).answer().tokens().length == 0);
        }
    }

    /** A store on a read-only file system (a tmpfs remounted read-only; root only): the library opens, answers come, saving says why not. */
    @Test
    void aReadOnlyStoreAnswersFromItsReadingsAndSaysWhatCannotBeSaved() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        try (dev.goldfinch.app.TmpfsMount mount = dev.goldfinch.app.TmpfsMount.at(mnt, "the read-only store is not tested")) {
            Path db = mnt.resolve("store.sqlite");
            long doc;
            try (ReaderService s = ReaderService.open(db, new IngestSource(f -> null), Runnable::run).get(30, TimeUnit.SECONDS)) {
                s.loadModel(model, VOCAB, 2, WeightFormat.STORED).get(60, TimeUnit.SECONDS);
                doc = get(s.importFile(text("notes.txt", 20))).documentId();
                get(s.read(doc, p -> { }).result());
                s.conversations().create(doc, "before");
            }
            assertTrue(mount.remountReadOnly());
            try (ReaderService s = ReaderService.open(db, new IngestSource(f -> null), Runnable::run).get(30, TimeUnit.SECONDS)) {
                s.loadModel(model, VOCAB, 2, WeightFormat.STORED).get(60, TimeUnit.SECONDS);
                assertEquals(CacheState.READY, get(s.library()).getFirst().state());
                assertEquals(1, s.conversations().of(doc).size(), "the conversations are read");
                Reply r = get(s.ask(doc, "What do goldfinches eat?", GREEDY, x -> { }).result());
                assertFalse(r.answer().tokens().length == 0, "an answer from the saved reading");
                RuntimeException e = assertThrows(RuntimeException.class, () -> s.conversations().create(doc, "after"));
                assertTrue(e.getMessage().contains("the store is read-only; saved readings can be used, but new readings and conversations cannot be saved"), e.getMessage());
            }
        }
    }

    /** With int8 weights the same store reads a document and answers from it; the model says it holds int8. */
    @Test
    void int8WeightsReadAndAnswer() throws Exception {
        try (ReaderService s = ReaderService.open(dir.resolve("store.sqlite"), new IngestSource(f -> null), Runnable::run).get(30, TimeUnit.SECONDS)) {
            s.setCheckpointEvery(64);
            ModelInfo info = s.loadModel(model, VOCAB, 2, WeightFormat.INT8).get(60, TimeUnit.SECONDS);
            assertEquals(WeightFormat.INT8, info.weights());
            assertTrue(info.description().contains("int8"), info.description());
            long doc = get(s.importFile(text("notes.txt", 30))).documentId();
            assertTrue(get(s.read(doc, p -> { }).result()).complete());
            Reply r = get(s.ask(doc, "What do goldfinches eat?", GREEDY, x -> { }).result());
            assertFalse(r.answer().tokens().length == 0, "an answer came");
            assertEquals(WeightFormat.STORED, get(s.loadModel(model, VOCAB, 2, WeightFormat.STORED)).weights(), "loading again as stored replaces it");
        }
    }

    /** The tokens a question turn adds to the state, and how many of an answer's tokens went into it. */
    static int turn(String question) {
        return dev.goldfinch.engine.tokenizer.WorldTokenizer.load(VOCAB).encode(GREEDY.layout().questionTurn(question)).length;
    }

    static int fed(Answer a) {
        // Every generated token is run through the model except one that ends the answer at the next-turn marker.
        return a.tokens().length - (a.stopReason() == Answer.StopReason.NEXT_TURN ? 1 : 0);
    }

    @Test
    void aFollowUpContinuesTheConversationsStateAndWithoutItAQuestionStartsFromTheDocument() throws Exception {
        String q1 = "What do goldfinches eat?", q2 = "Where do they live?";
        try (ReaderService s = open()) {
            long doc = get(s.importFile(text("notes.txt", 60))).documentId();
            get(s.read(doc, p -> { }).result());

            // Q2 asked fresh: it starts at the document's end.
            Reply fresh = get(s.ask(doc, q2, GREEDY, x -> { }).result());
            int document = fresh.startPosition();
            assertTrue(document > 0);
            assertFalse(fresh.continued());
            assertEquals(document + turn(q2) + fed(fresh.answer()), fresh.position());

            // With follow-up on, Q1 starts from the document too (nothing is kept yet) and its state is kept …
            FollowUp memory = s.followUp(doc);
            assertFalse(memory.isLive());
            Reply r1 = get(s.ask(doc, memory, q1, GREEDY, x -> { }).result());
            assertFalse(r1.continued());
            assertEquals(document, r1.startPosition());
            assertEquals(document + turn(q1) + fed(r1.answer()), r1.position());
            assertTrue(memory.isLive());
            assertEquals(r1.position(), memory.position());

            // … so Q2 continues from it: document + Q1 turn + A1 + Q2 turn (+ A2).
            Reply follow = get(s.ask(doc, memory, q2, GREEDY, x -> { }).result());
            assertTrue(follow.continued());
            assertEquals(document + turn(q1) + fed(r1.answer()), follow.startPosition());
            assertEquals(follow.startPosition() + turn(q2) + fed(follow.answer()), follow.position());
            assertTrue(follow.position() != fresh.position(), "the follow-up state is further on than the fresh one");
            assertEquals(follow.position(), memory.position());

            // Follow-up off: the same question is asked on a fresh copy of the snapshot and answers as before.
            s.forget(memory);
            assertFalse(memory.isLive());
            Reply off = get(s.ask(doc, q2, GREEDY, x -> { }).result());
            assertEquals(fresh.answer().text(), off.answer().text());
            assertEquals(fresh.position(), off.position());
            assertEquals(document, off.startPosition());
            // A forgotten memory starts from the document again.
            Reply again = get(s.ask(doc, memory, q2, GREEDY, x -> { }).result());
            assertFalse(again.continued());
            assertEquals(fresh.answer().text(), again.answer().text());

            // A stopped answer keeps what it streamed, and the next follow-up continues right after it.
            FollowUp stopped = s.followUp(doc);
            AnswerOptions longer = new AnswerOptions(SamplingOptions.greedy(), 4000, PromptLayout.PLAIN, 0);
            java.util.concurrent.atomic.AtomicReference<Job<Reply>> job = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            job.set(s.ask(doc, stopped, q1, longer, x -> started.countDown()));
            assertTrue(started.await(60, TimeUnit.SECONDS));
            job.get().cancel();
            Reply cut = get(job.get().result());
            if (cut.answer().stopReason() == Answer.StopReason.CANCELLED) {
                assertEquals(document + turn(q1) + cut.answer().tokens().length, cut.position());
            }
            assertEquals(cut.position(), stopped.position());
            Reply after = get(s.ask(doc, stopped, q2, GREEDY, x -> { }).result());
            assertTrue(after.continued());
            assertEquals(cut.position(), after.startPosition());

            // Another model (or a restart) lets every memory go: the next question starts from the document.
            s.loadModel(model, VOCAB, 2, WeightFormat.STORED).get(60, TimeUnit.SECONDS);
            assertFalse(stopped.isLive());
            Reply reloaded = get(s.ask(doc, stopped, q2, GREEDY, x -> { }).result());
            assertFalse(reloaded.continued());
            assertEquals(document, reloaded.startPosition());
            assertEquals(fresh.answer().text(), reloaded.answer().text());
        }
    }

    /** A PDF with a paragraph of sentences on each page (pages and paragraphs are joined by blank lines). */
    Path pdf(String name, int pages) throws Exception {
        Path f = dir.resolve(name);
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var font = new org.apache.pdfbox.pdmodel.font.PDType1Font(org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
            for (int p = 1; p <= pages; p++) {
                var page = new org.apache.pdfbox.pdmodel.PDPage();
                doc.addPage(page);
                try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 11);
                    cs.setLeading(15);
                    cs.newLineAtOffset(60, 700);
                    String seed = new String[] {"Thistle", "Teasel", "Nyjer", "Dandelion"}[(p - 1) % 4];
                    for (int line = 0; line < 12; line++) {
                        cs.showText(seed + " note " + line + ": the goldfinch eats " + seed.toLowerCase() + " seeds on page " + p + ".");
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            doc.save(f.toFile());
        }
        return f;
    }

    /**
     * With the G1 layout the document is read as a cleaned System turn (its own cache, out of date for the other
     * framing), the thinking comes apart from the answer, and sources still point at the stored text's pages.
     */
    @Test
    void theG1LayoutReadsItsOwnDocumentTurnAndItsSourcesKeepTheirPages() throws Exception {
        try (ReaderService s = open()) {
            assertEquals(PromptLayout.PLAIN, s.model().orElseThrow().layout());
            assertEquals(java.util.Optional.of(PromptLayout.G1), get(s.setPromptLayout(PromptLayout.G1)), "a GoldFinch takes the setting");
            assertEquals(PromptLayout.G1, s.model().orElseThrow().layout());
            long doc = get(s.importFile(pdf("notes.pdf", 3))).documentId();
            get(s.read(doc, p -> { }).result());
            DocumentStatus st = get(s.library()).getFirst();
            assertEquals(CacheState.READY, st.state());
            ReaderService.DocumentText dt = get(s.documentText(doc));
            String text = dt.text();
            assertTrue(text.contains("\n\n"), "the stored text keeps its blank lines; the reading collapses them");
            var tokenizer = dev.goldfinch.engine.tokenizer.WorldTokenizer.load(VOCAB);
            int framed = dev.goldfinch.engine.answer.DocumentTurn.of(PromptLayout.G1, text, tokenizer.encode(text), tokenizer).tokens().length;
            assertEquals(framed, st.positions(), "the cache is of the G1 document turn");
            assertEquals(1.0, st.fraction());

            AnswerOptions think = new AnswerOptions(SamplingOptions.greedy(), 16, PromptLayout.PLAIN, 0, true);
            StringBuilder thought = new StringBuilder(), streamed = new StringBuilder();
            Reply r = get(s.ask(doc, null, "What do goldfinches eat?", think, RestoreProgress.NONE, thought::append, streamed::append).result());
            assertEquals(r.answer().thinking(), thought.toString().strip(), "the thinking streamed apart");
            assertEquals(r.answer().text(), streamed.toString().strip());
            assertEquals(framed, r.startPosition(), "asked in the layout the document was read with, whatever the options said");
            int prompt = tokenizer.encode(PromptLayout.G1.questionTurn("What do goldfinches eat?", true, "\n\n")).length;
            assertEquals(framed + prompt + fed(r.answer()), r.position());

            Reply fast = get(s.ask(doc, "What do goldfinches eat?", GREEDY, x -> { }).result());
            assertFalse(fast.sources().isEmpty(), "a GoldFinch answer cites passages");
            for (Reply reply : List.of(r, fast)) {
                for (Source src : reply.sources()) {
                    assertTrue(0 <= src.start() && src.start() < src.end() && src.end() <= text.length(), src.toString());
                    assertEquals(text.substring(src.start(), src.end()).replaceAll("\\s+", " ").strip(), src.text(), "offsets into the stored text");
                    var page = dt.meta().pageAt(src.start(), text.length());
                    assertEquals(page.page(), src.page());
                    assertTrue(src.text().endsWith("on page " + page.page() + "."), "the passage is on the page it names: " + src);
                }
            }

            // Back to plain: the G1 reading is no reading of the stored tokens.
            get(s.setPromptLayout(PromptLayout.PLAIN));
            assertEquals(CacheState.OUT_OF_DATE, get(s.library()).getFirst().state());
            get(s.read(doc, p -> { }).result());
            DocumentStatus plain = get(s.library()).getFirst();
            assertEquals(CacheState.READY, plain.state());
            assertEquals(plain.tokens(), plain.positions(), "the plain reading is of the stored tokens");
        }
    }

    /**
     * A question to a read document while another is being read is answered at the reading's next chunk, not after the
     * whole reading; the reading then goes on from where it was and saves the same reading, bit for bit, as one that
     * was never interrupted.
     */
    @Test
    void aQuestionIsAnsweredWhileAnotherDocumentIsReadAndTheReadingIsTheSame() throws Exception {
        Path uninterrupted = Files.createDirectory(dir.resolve("alone"));
        long[] ids = new long[2];
        List<Long> paused = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ReaderService s = open()) {
            s.setOnReadingPaused(paused::add);
            long ready = get(s.importFile(text("ready.txt", 20))).documentId();
            int readyTokens = get(s.read(ready, p -> { }).result()).totalTokens();
            long big = get(s.importFile(text("big.txt", 900))).documentId();
            ids[0] = big;
            int[] seen = {0};
            java.util.concurrent.CountDownLatch going = new java.util.concurrent.CountDownLatch(1);
            Job<CacheInfo> reading = s.read(big, p -> {
                seen[0] = p.done();
                if (p.done() >= 64) going.countDown();
            });
            assertTrue(going.await(120, TimeUnit.SECONDS), "the reading started");
            Reply r = get(s.ask(ready, "What do goldfinches eat?", GREEDY, x -> { }).result());
            assertFalse(r.answer().tokens().length == 0);
            assertFalse(reading.result().isDone(), "answered while the reading still runs (it had read " + seen[0] + " tokens)");
            CacheInfo info = get(reading.result());
            assertEquals(info.totalTokens(), info.positions(), "the reading then finishes");
            assertEquals(List.of(big, -1L), paused.subList(0, 2), "the window is told the reading paused for the question, then went on");
            assertEquals(readyTokens + info.totalTokens(), s.tokensRead(), "nothing of it was read twice");
        }
        try (ReaderService s = ReaderService.open(uninterrupted.resolve("store.sqlite"), new IngestSource(f -> null), Runnable::run).get(30, TimeUnit.SECONDS)) {
            s.setCheckpointEvery(64);
            s.loadModel(model, VOCAB, 2, WeightFormat.STORED).get(60, TimeUnit.SECONDS);
            ids[1] = get(s.importFile(dir.resolve("big.txt"))).documentId();
            get(s.read(ids[1], p -> { }).result());
        }
        try (DocumentStore a = DocumentStore.open(dir.resolve("store.sqlite")); DocumentStore b = DocumentStore.open(uninterrupted.resolve("store.sqlite"))) {
            CacheInfo ca = a.readings().all().stream().filter(c -> c.documentId() == ids[0] && c.complete()).findFirst().orElseThrow();
            CacheInfo cb = b.readings().all().stream().filter(c -> c.documentId() == ids[1] && c.complete()).findFirst().orElseThrow();
            var sa = a.readings().load(ca, ca.modelIdentity(), ca.tokensHash());
            var sb = b.readings().load(cb, cb.modelIdentity(), cb.tokensHash());
            assertTrue(java.util.Arrays.equals(sa.compressed(), sb.compressed()), "the same cc_t rows");
            assertEquals(sa.layers().size(), sb.layers().size());
            for (int l = 0; l < sa.layers().size(); l++) {
                assertTrue(java.util.Arrays.equals(sa.layers().get(l).attShift(), sb.layers().get(l).attShift()), "layer " + l);
                assertTrue(java.util.Arrays.equals(sa.layers().get(l).ffnShift(), sb.layers().get(l).ffnShift()), "layer " + l);
                assertTrue(java.util.Arrays.equals(sa.layers().get(l).wkv(), sb.layers().get(l).wkv()), "layer " + l);
            }
        }
    }

    @Test
    void aCancelledReadingKeepsItsCheckpointAndIsPausedUntilResumed() throws Exception {
        try (ReaderService s = open()) {
            long doc = get(s.importFile(text("long.txt", 1500))).documentId();
            Job<CacheInfo> job = s.read(doc, p -> { });
            Job<CacheInfo> again = s.read(doc, p -> { });
            assertTrue(job == again, "reading a document being read joins that reading");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (s.tokensRead() < 200) {
                assertFalse(job.result().isDone(), "the reading ended before 200 tokens were read: " + job.result());
                assertTrue(System.nanoTime() < deadline, "200 tokens were not read within 120 s (" + s.tokensRead() + " were)");
                Thread.sleep(5);
            }
            job.cancel();
            Throwable t = job.result().handle((r, x) -> x).get(60, TimeUnit.SECONDS);
            assertInstanceOf(PrefillCancelledException.class, dev.goldfinch.app.ui.Fx.cause(t));
            DocumentStatus st = get(s.library()).getFirst();
            assertEquals(CacheState.PAUSED, st.state());
            assertTrue(st.positions() > 0);
            get(s.read(doc, p -> { }).result());
            assertEquals(CacheState.READY, get(s.library()).getFirst().state());
        }
    }

    /** The service saves a question and its answer in order, reads them back, and removing the document removes them (the store's own test: ConversationsTest). */
    @Test
    void conversationsAreKeptWithTheirDocumentAndGoWithIt() throws Exception {
        try (ReaderService s = open()) {
            long doc = get(s.importFile(text("c.txt", 10))).documentId();
            Conversation c = get(s.saveQuestion(null, doc, "first", "q?"));
            get(s.saveAnswer(c, "Thistle.", "They eat seeds, mostly thistle.", null));
            assertEquals(c, get(s.saveQuestion(c, doc, "ignored", "and?")), "a question in a conversation stays in it");
            Conversation newer = get(s.saveQuestion(null, doc, "second", "q2?"));
            assertEquals(List.of("second", "first"), get(s.conversationsOf(doc)).stream().map(Conversation::title).toList());
            List<Message> messages = get(s.messagesOf(c.id()));
            assertEquals(List.of("q?", "Thistle.", "and?"), messages.stream().map(Message::text).toList());
            assertEquals(java.util.Arrays.asList(null, "They eat seeds, mostly thistle.", null), messages.stream().map(Message::thinking).toList(),
                    "the thinking is kept apart from the text");
            assertEquals(Message.Role.ASSISTANT, messages.get(1).role());
            s.conversations().delete(newer.id());
            assertEquals(1, get(s.conversationsOf(doc)).size());
            get(s.remove(doc));
            assertTrue(get(s.conversationsOf(doc)).isEmpty(), "removing a document removes its conversations");
            assertTrue(get(s.messagesOf(c.id())).isEmpty());
        }
    }

    @Test
    void badInputComesBackAsOneLineErrors() throws Exception {
        try (ReaderService s = open()) {
            Path broken = Files.write(dir.resolve("broken.pdf"), "%PDF-1.7\n garbage".getBytes());
            CompletionException e = assertThrows(CompletionException.class, () -> s.importFile(broken).join());
            assertInstanceOf(IngestException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("broken.pdf"), e.getCause().getMessage());
            Path notModel = Files.writeString(dir.resolve("nope.pth"), "not a checkpoint");
            assertThrows(CompletionException.class, () -> s.loadModel(notModel, VOCAB, 1, WeightFormat.STORED).join());
            assertTrue(s.model().isPresent(), "a model that fails to load leaves the one in use");
        }
    }
}
