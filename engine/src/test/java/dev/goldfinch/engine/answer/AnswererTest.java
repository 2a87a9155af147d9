package dev.goldfinch.engine.answer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Answerer with the G1 layout on real checkpoints and the real vocabulary: a scripted model (whose greedy answer
 * is a chosen token sequence) for the stops and the thinking, and a random-weight GoldFinch for reading the document
 * turn into the store and answering from its saved state.
 */
class AnswererTest {
    static WorldTokenizer tokenizer;
    static final String DOCUMENT = "Field notes\r\n\r\nGoldfinches eat thistle seeds.\n\n\nThey nest late in summer.";
    static final String QUESTION = "What do they eat?";

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        tokenizer = WorldTokenizer.load(Fixtures.vocabulary());
    }

    /** The id of a text that is one token of the vocabulary. */
    static int id(String piece) {
        int[] ids = tokenizer.encode(piece);
        assertEquals(1, ids.length, "'" + piece + "' is one token");
        return ids[0];
    }

    static int[] ids(String... pieces) {
        return Arrays.stream(pieces).mapToInt(AnswererTest::id).toArray();
    }

    /** A fresh state holding the G1 document turn. */
    static InferenceState documentState(Model model) {
        int[] doc = DocumentTurn.of(PromptLayout.G1, DOCUMENT, tokenizer.encode(DOCUMENT), tokenizer).tokens();
        InferenceState s = model.newState();
        model.forward(s, doc, 0, doc.length, Model.Logits.NONE);
        return s;
    }

    static AnswerOptions g1(SamplingOptions sampling, boolean think) {
        return new AnswerOptions(sampling, 40, PromptLayout.G1, 0, think);
    }

    /** Both G1 openings end with the token "think": that is where a scripted answer starts. */
    static int openingEnd() {
        int[] q = tokenizer.encode(PromptLayout.G1.questionTurn(QUESTION));
        int[] t = tokenizer.encode(PromptLayout.G1.questionTurn(QUESTION, true, "\n\n"));
        assertEquals(q[q.length - 1], t[t.length - 1]);
        return q[q.length - 1];
    }

    @Test
    void theFakeThinkAnswersAndStopsAtTheNextUserTurn() {
        int[] script = ids(">", " They", " eat", " seeds", ".", "\n\n", "User", ":");
        Path pth = ScriptedModel.write(dir.resolve("scripted.pth"), openingEnd(), script);
        try (Model model = ModelLoader.load(pth, OptionalDouble.empty())) {
            InferenceState state = documentState(model);
            int document = state.position();
            StringBuilder streamed = new StringBuilder(), thought = new StringBuilder();
            Answer a = new Answerer(model, tokenizer).ask(state, QUESTION, g1(ScriptedModel.SAMPLING, false), thought::append, streamed::append, () -> false);
            assertArrayEquals(script, a.tokens(), "the scripted model wrote its script");
            assertEquals(Answer.StopReason.NEXT_TURN, a.stopReason());
            assertEquals("They eat seeds.", a.text());
            assertEquals("They eat seeds.", streamed.toString(), "the marker and the tag never reach the stream");
            assertEquals("", a.thinking());
            assertEquals("", thought.toString());
            int prompt = tokenizer.encode("User: What do they eat?\n\nAssistant: <think></think").length;
            assertEquals(document + prompt + script.length - 1, state.position(), "every token but the one that completed the marker was fed");
            assertTrue(tokenizer.decode(state.tokens()).endsWith("\n\nUser: What do they eat?\n\nAssistant: <think></think> They eat seeds.\n\nUser"));
        }
    }

    @Test
    void thinkingStreamsApartFromTheAnswerAndTokenZeroEndsIt() {
        // "\n" comes twice with different successors and ">" and "think" twice: the script model handles that.
        int[] script = ids(">", "\n", "Let", " me", " see", "</", "think", ">", "\n", "Yes", ".");
        Path pth = ScriptedModel.write(dir.resolve("thinking.pth"), openingEnd(), script);
        try (Model model = ModelLoader.load(pth, OptionalDouble.empty())) {
            InferenceState state = documentState(model);
            StringBuilder streamed = new StringBuilder(), thought = new StringBuilder();
            StringBuilder order = new StringBuilder();
            Answer a = new Answerer(model, tokenizer).ask(state, QUESTION, g1(ScriptedModel.SAMPLING, true),
                    t -> { thought.append(t); order.append('T'); }, x -> { streamed.append(x); order.append('A'); }, () -> false);
            assertArrayEquals(script, a.tokens());
            assertEquals(Answer.StopReason.END_OF_TEXT, a.stopReason(), "token 0 ends the answer");
            assertEquals("Let me see", a.thinking());
            assertEquals("Yes.", a.text());
            assertEquals("Let me see", thought.toString());
            assertEquals("Yes.", streamed.toString());
            assertTrue(order.toString().matches("T+A+"), "the thought streams first, then the answer: " + order);
            assertTrue(tokenizer.decode(state.tokens()).endsWith("Assistant: <think>\nLet me see</think>\nYes."), "token 0 is not fed; the last token is");
        }
    }

    @Test
    void aFollowUpQuestionStartsAWholeNewTurnAfterAnAnswerStoppedAtTheMarker() {
        int[] script = ids(">", " They", " eat", " seeds", ".", "\n\n", "User", ":");
        Path pth = ScriptedModel.write(dir.resolve("follow.pth"), openingEnd(), script);
        try (Model model = ModelLoader.load(pth, OptionalDouble.empty())) {
            InferenceState state = documentState(model);
            Answerer answerer = new Answerer(model, tokenizer);
            answerer.ask(state, QUESTION, g1(ScriptedModel.SAMPLING, false), x -> { }, () -> false);
            Answer second = answerer.ask(state, "And in winter?", g1(ScriptedModel.SAMPLING, false), x -> { }, () -> false);
            assertEquals("They eat seeds.", second.text());
            String all = tokenizer.decode(state.tokens());
            assertTrue(all.endsWith("System: The user asks questions about the following document.\nField notes\nGoldfinches eat thistle seeds.\nThey nest late in summer.\n\n"
                    + "User: What do they eat?\n\nAssistant: <think></think> They eat seeds.\n\n"
                    + "User: And in winter?\n\nAssistant: <think></think> They eat seeds.\n\nUser"), all);
        }
    }

    @Test
    void aRandomGoldFinchReadsTheG1DocumentTurnIntoTheStoreAndAnswersFromIt() {
        Path pth = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 11);
        DocumentTurn turn = DocumentTurn.of(PromptLayout.G1, DOCUMENT, tokenizer.encode(DOCUMENT), tokenizer);
        try (Model model = ModelLoader.load(pth, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(dir.resolve("s.sqlite"))) {
            long doc = store.documents().put("h", "notes", DOCUMENT, tokenizer.encode(DOCUMENT), null);
            CacheInfo plain = new DocumentReader(store, model).prefill(doc, CachePrecision.F16, p -> { }, () -> false);
            DocumentReader reader = new DocumentReader(store, model, DocumentTurn.reading(PromptLayout.G1, tokenizer));
            CacheInfo cache = reader.prefill(doc, CachePrecision.F16, p -> { }, () -> false);
            assertFalse(plain.id() == cache.id(), "a cache of the stored tokens is no cache of the G1 turn: the document is read again");
            assertEquals(turn.tokens().length, cache.totalTokens());
            assertEquals(DocumentStore.tokensHash(turn.tokens()), cache.tokensHash(), "the cache is of the framed document");
            assertEquals(cache.tokensHash(), reader.tokensHash(doc));
            assertFalse(cache.tokensHash().equals(new DocumentReader(store, model).tokensHash(doc)), "not the stored tokens' cache");
            InferenceState snapshot = reader.open(doc);
            assertArrayEquals(turn.tokens(), snapshot.tokens());
            assertEquals(0, snapshot.recurrentSteps());

            Answerer answerer = new Answerer(model, tokenizer);
            for (boolean think : new boolean[] {false, true}) {
                StringBuilder streamed = new StringBuilder(), thought = new StringBuilder();
                InferenceState state = snapshot.copy();
                AnswerOptions options = new AnswerOptions(SamplingOptions.greedy(), 24, PromptLayout.G1, 0, think);
                Answer a = answerer.ask(state, QUESTION, options, thought::append, streamed::append, () -> false);
                assertEquals(a.text(), streamed.toString().strip());
                assertEquals(a.thinking(), thought.toString().strip());
                assertFalse(a.text().contains("</think") || a.thinking().contains("</think"), "no tag is left in either");
                assertEquals(snapshot.position(), a.attentionMass().length, "the mass covers the document turn's positions");
                int prompt = tokenizer.encode(PromptLayout.G1.questionTurn(QUESTION, think, "\n\n")).length;
                int fed = a.tokens().length - (a.stopReason() == Answer.StopReason.NEXT_TURN ? 1 : 0);
                assertEquals(snapshot.position() + prompt + fed, state.position());
                Answer again = answerer.ask(snapshot.copy(), QUESTION, options, x -> { }, x -> { }, () -> false);
                assertEquals(a.text(), again.text(), "each question sees the document alone");
                assertEquals(a.thinking(), again.thinking());
            }
        }
    }
}
