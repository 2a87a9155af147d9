package dev.goldfinch.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {
    static float[] logits(long seed, int v) {
        Random r = new Random(seed);
        float[] l = new float[v];
        for (int i = 0; i < v; i++) l[i] = (float) r.nextGaussian() * 3;
        return l;
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        SamplingOptions o = new SamplingOptions(0.9, 0.9, 0, 0.2, 0.2, 1234);
        Sampler a = new Sampler(o, 65536), b = new Sampler(o, 65536);
        for (int step = 0; step < 50; step++) {
            float[] l = logits(step, 65536);
            assertEquals(a.next(l.clone()), b.next(l.clone()));
        }
    }

    @Test
    void topKOfOneAndATinyNucleusAreGreedy() {
        float[] l = logits(7, 1000);
        int best = Sampler.argmax(l);
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(best, new Sampler(new SamplingOptions(1.0, 1.0, 1, 0, 0, seed), 1000).next(l.clone()));
            assertEquals(best, new Sampler(new SamplingOptions(1.0, 1e-6, 0, 0, 0, seed), 1000).next(l.clone()));
        }
    }

    @Test
    void samplesStayInsideTheNucleus() {
        // Probabilities 0.5, 0.3, 0.15, 0.05: top-p 0.75 keeps exactly the first two.
        float[] l = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        int[] seen = new int[4];
        Sampler s = new Sampler(new SamplingOptions(1.0, 0.75, 0, 0, 0, 99), 4);
        for (int i = 0; i < 4000; i++) seen[new Sampler(new SamplingOptions(1.0, 0.75, 0, 0, 0, i), 4).next(l.clone())]++;
        assertEquals(0, seen[2] + seen[3]);
        assertTrue(Math.abs(seen[0] / 4000.0 - 0.625) < 0.03, "0.5 / 0.8 of the draws: " + seen[0]);
        assertTrue(s.next(l.clone()) < 2);
    }

    @Test
    void penaltiesDiscourageRepeats() {
        float[] l = {2f, 1.9f, 0f};
        Sampler s = new Sampler(new SamplingOptions(0, 1, 0, 0.5, 0.5, 0), 3);
        assertEquals(0, s.next(l.clone()));
        assertEquals(1, s.next(l.clone()), "the first token is now penalised below the second");
    }

    /** Impossible values are refused, not turned silently into possible ones. */
    @Test
    void impossibleSamplingValuesAreRefused() {
        record Case(String message, Runnable make) {
        }
        for (Case c : List.of(
                new Case("temperature must be 0 (greedy) or a positive number, not NaN", () -> new SamplingOptions(Double.NaN, 0.9, 0, 0, 0, 1)),
                new Case("temperature must be 0 (greedy) or a positive number, not -0.5", () -> new SamplingOptions(-0.5, 0.9, 0, 0, 0, 1)),
                new Case("temperature must be 0 (greedy) or a positive number, not Infinity",
                        () -> new SamplingOptions(Double.POSITIVE_INFINITY, 0.9, 0, 0, 0, 1)),
                new Case("top-p must be more than 0 and at most 1, not 0.0", () -> new SamplingOptions(1, 0, 0, 0, 0, 1)),
                new Case("top-p must be more than 0 and at most 1, not 1.5", () -> new SamplingOptions(1, 1.5, 0, 0, 0, 1)),
                new Case("top-p must be more than 0 and at most 1, not NaN", () -> new SamplingOptions(1, Double.NaN, 0, 0, 0, 1)),
                new Case("top-k must be 0 (no cut) or more, not -1", () -> new SamplingOptions(1, 0.9, -1, 0, 0, 1)),
                new Case("presence penalty must be a finite number, not NaN", () -> new SamplingOptions(1, 0.9, 0, Double.NaN, 0, 1)),
                new Case("frequency penalty must be a finite number, not -Infinity",
                        () -> new SamplingOptions(1, 0.9, 0, 0, Double.NEGATIVE_INFINITY, 1)))) {
            assertEquals(c.message(), assertThrows(IllegalArgumentException.class, c.make()::run).getMessage());
        }
        assertTrue(new SamplingOptions(0, 1, 0, -1, 2, 0).isGreedy(), "0 is greedy; negative penalties encourage repeats");
        assertEquals("the answer length must be between 1 and 1048576, not 0", assertThrows(IllegalArgumentException.class,
                () -> new AnswerOptions(SamplingOptions.greedy(), 0, PromptLayout.PLAIN, 0)).getMessage());
    }
}
