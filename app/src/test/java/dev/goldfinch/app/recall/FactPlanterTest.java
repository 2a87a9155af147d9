package dev.goldfinch.app.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The documents of a length: the shipped text cut to length, facts at their depths between sentences, names and codes from the seed. */
class FactPlanterTest {
    static final Path VOCAB = Path.of(System.getProperty("goldfinch.shared", "../../shared"), "tokenizer", "rwkv_vocab_v20230424.txt");
    static WorldTokenizer tokenizer;
    static NeutralText text;

    @BeforeAll
    static void load() {
        tokenizer = WorldTokenizer.load(VOCAB);
        text = NeutralText.load(tokenizer);
    }

    @Test
    void theShippedTextIsLongEnoughForSixtyFourThousandTokensAndLengthsBeyondItAreRefused() {
        assertTrue(text.tokens() >= 128 * 1024, "tokens: " + text.tokens());
        assertTrue(text.prefix(1024).startsWith("PRIDE AND PREJUDICE"));
        EngineException e = assertThrows(EngineException.class, () -> RecallCheck.requireFits(new RecallPlan(List.of(1024, 512 * 1024), 2, 1, 1), text));
        assertTrue(e.getMessage().contains("lengths up to") && e.getMessage().contains("512k is beyond it"), e.getMessage());
    }

    @Test
    void eachDepthHasItsOwnFactWhereItWasAskedAndTheDocumentsBeginAlike() {
        List<Double> depths = new RecallPlan(List.of(4096), 5, 1, 1).depthShares();
        List<FactPlanter.Planted> docs = new FactPlanter(text, 7).plant(4096, depths, 1);
        assertEquals(5, docs.size());
        Set<String> names = new HashSet<>();
        Set<Integer> codes = new HashSet<>();
        int previous = -1;
        for (FactPlanter.Planted d : docs) {
            int tokens = tokenizer.encode(d.text()).length;
            assertTrue(tokens <= 4096 && tokens >= 4096 - 2 * FactPlanter.FACT_TOKENS - 40, "about the length: " + tokens);
            int at = d.text().indexOf(d.asked().sentence());
            assertTrue(at >= 0, "the fact is in the document");
            assertEquals(at, d.text().lastIndexOf("The access code"), "one fact only");
            double share = (double) at / d.text().length();
            assertTrue(Math.abs(share - d.depth()) < 0.03, "planted at its depth: " + share + " for " + d.depth());
            assertTrue(at > previous, "deeper, later");
            previous = at;
            assertTrue(names.add(d.asked().colour() + " " + d.asked().place()) && codes.add(d.asked().code()), "names and codes differ: " + d.asked());
            assertTrue(at == 0 || FactPlanter.sentenceEndsBefore(d.text().stripTrailing(), d.text().substring(0, at).stripTrailing().length()),
                    "between two sentences");
        }
        assertTrue(docs.getFirst().text().startsWith(docs.getFirst().asked().sentence()), "0%: the fact opens the document");
        assertTrue(docs.getLast().text().endsWith(docs.getLast().asked().sentence()), "100%: the fact ends it");
        // Up to each document's fact, the next one is the same text: that beginning is read once.
        for (int i = 0; i + 1 < docs.size(); i++) {
            int at = docs.get(i).text().indexOf(docs.get(i).asked().sentence());
            assertEquals(docs.get(i).text().substring(0, at), docs.get(i + 1).text().substring(0, at));
        }
    }

    @Test
    void severalFactsPutTheSameDistractorsInEveryDocumentOfALengthAndTheSeedRepeatsARun() {
        List<Double> depths = new RecallPlan(List.of(2048), 3, 4, 1).depthShares();
        List<FactPlanter.Planted> docs = new FactPlanter(text, 3).plant(2048, depths, 4);
        for (FactPlanter.Planted d : docs) {
            assertEquals(4, d.facts().size());
            assertTrue(d.facts().contains(d.asked()));
            for (Fact f : d.facts()) assertTrue(d.text().contains(f.sentence()), f.sentence());
            assertEquals(4, d.facts().stream().map(Fact::code).distinct().count(), "distinct codes");
        }
        List<Fact> distractors = docs.getFirst().facts().stream().filter(f -> !f.equals(docs.getFirst().asked())).toList();
        for (FactPlanter.Planted d : docs) assertTrue(d.facts().containsAll(distractors), "the same distractors at every depth");
        assertEquals(docs, new FactPlanter(text, 3).plant(2048, depths, 4), "the same seed, the same documents");
        assertNotEquals(docs.getFirst().asked(), new FactPlanter(text, 4).plant(2048, depths, 4).getFirst().asked(), "another seed, other facts");
    }
}
