package dev.goldfinch.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
