package dev.goldfinch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Librarian;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.OpenDocument;
import dev.goldfinch.app.models.DemoModel;
import dev.goldfinch.app.models.LocalModel;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.models.ModelsFolder;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RestoreProgress;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `goldfinch demo-model`: written into a models folder, listed there, opened by the Librarian, a real PDF read and asked about. */
class DemoModelCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesANoiseModelThatTheLibraryReadsAndAnswersWith() throws Exception {
        Path models = dir.resolve("models"), config = dir.resolve("config");
        Settings before = new Settings();
        before.modelsDir = models.toString(); // the app's models folder, which has no model yet
        before.save(config);
        long t0 = System.nanoTime();
        AskCommandTest.Output o = AskCommandTest.runBoth("demo-model", "--out", models.toString(), "--vocab", AskCommandTest.VOCAB.toString(),
                "--config", config.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("answers are noise"), o.out());
        Path ckpt = models.resolve("demo-random-noise/demo-random-noise.pth");
        assertTrue(o.out().contains(ckpt.toString()), o.out());
        assertTrue(Files.size(ckpt) < 20_000_000, "a few MB: " + Files.size(ckpt));
        assertTrue(seconds < 30, "seconds to make: " + seconds);
        assertTrue(Files.isRegularFile(models.resolve("rwkv_vocab_v20230424.txt")), "the vocabulary goes where the folder's models read it");

        // The app had no model: it opens with the demo now (read with the vocabulary put in its folder).
        Settings app = Settings.load(config);
        assertEquals(ckpt.toString(), app.modelPath);
        assertEquals(models.resolve("rwkv_vocab_v20230424.txt").toString(), app.vocabPath);
        assertTrue(o.out().contains("opens with this one"), o.out());

        List<LocalModel> listed = ModelsFolder.list(ModelCatalogue.load(), models);
        assertEquals(1, listed.size(), listed.toString());
        LocalModel demo = listed.get(0);
        assertEquals(DemoModel.NAME, demo.name());
        assertTrue(demo.name().contains("noise"), demo.name());
        assertEquals(Files.size(ckpt), demo.bytes());

        Path pdf = dir.resolve("lease.pdf");
        AskCommandTest.writePdf(pdf, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        WorldTokenizer tokenizer = WorldTokenizer.load(demo.vocab());
        try (Model model = ModelLoader.load(demo.checkpoint(), OptionalDouble.empty(), WeightFormat.STORED);
             Library library = Library.open(dir.resolve("library.sqlite"), new IngestSource(file -> null))) {
            assertEquals(Architecture.GOLDFINCH, model.config().architecture(), "a GoldFinch hybrid: it cites sources");
            Librarian librarian = new Librarian(library, model, tokenizer, PromptLayout.PLAIN);
            long id = library.add(pdf, tokenizer).documentId();
            OpenDocument doc = librarian.openOrReadAgain(id, CachePrecision.F16, p -> { }, () -> false, RestoreProgress.NONE);
            StringBuilder streamed = new StringBuilder();
            Answer answer = librarian.ask(doc.snapshot().copy(), "When is the rent due?", AnswerOptions.defaults(), t -> { }, streamed::append, () -> false);
            assertTrue(answer.tokens().length > 0, "it answers (noise)");
            assertEquals(answer.text(), streamed.toString());
            assertFalse(librarian.sourcesOf(doc, "When is the rent due?", answer, 3).isEmpty(), "and cites passages of the document");
        }
    }

    @Test
    void aFileThatIsNotTheWorldVocabularyIsRefusedAndNothingIsWritten() throws Exception {
        Path models = dir.resolve("models");
        Path fake = Files.writeString(dir.resolve("rwkv_vocab_v20230424.txt"), "1 'a' 1\n2 'b' 1\n");
        AskCommandTest.Output o = AskCommandTest.runBoth("demo-model", "--out", models.toString(), "--vocab", fake.toString(),
                "--config", dir.resolve("config").toString());
        assertEquals(1, o.code());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("is not the World vocabulary"), o.err());
        assertFalse(Files.exists(models), "nothing written");

        // The right size but other bytes: refused by its SHA-256.
        byte[] real = Files.readAllBytes(AskCommandTest.VOCAB);
        real[100] ^= 1;
        Path altered = Files.write(dir.resolve("altered.txt"), real);
        o = AskCommandTest.runBoth("demo-model", "--out", models.toString(), "--vocab", altered.toString(), "--config", dir.resolve("config").toString());
        assertEquals(1, o.code());
        assertTrue(o.err().contains("its SHA-256 is not the catalogue's"), o.err());
        assertFalse(Files.exists(models), "nothing written");
    }

    @Test
    void withoutAVocabularyOnThisComputerItSaysWhatToGive() {
        AskCommandTest.Output o = AskCommandTest.runBoth("demo-model", "--out", dir.resolve("models").toString(), "--config", dir.resolve("config").toString());
        assertEquals(1, o.code());
        assertTrue(o.err().startsWith("goldfinch: no World vocabulary on this computer yet: give --vocab rwkv_vocab_v20230424.txt"), o.err());
        assertFalse(Files.exists(dir.resolve("models")));
    }

    @Test
    void helpSaysTheAnswersAreNoise() {
        AskCommandTest.Output o = AskCommandTest.runBoth("demo-model", "--help");
        assertEquals(0, o.code());
        assertTrue(o.out().contains("Usage: goldfinch demo-model"), o.out());
        assertTrue(o.out().contains("answers are noise"), o.out());
    }
}
