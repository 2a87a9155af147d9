package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** TOVA (arXiv 2401.06104) bounds attention; attention mass says where answers looked. */
class TovaAndAttentionMassTest {

    static Model load(String name) {
        Fixtures.Model m = Fixtures.models().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
        return ModelLoader.load(m.checkpoint(), OptionalDouble.of(m.ropeBase()));
    }

    static int[] tokens(String name) {
        return Fixtures.models().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().tokens();
    }

    /** Greedy-free decoding: feed the fixture's tokens one at a time and collect every logit. */
    static float[] decodeOneByOne(Model model, InferenceState st, int[] ids) {
        int v = model.config().vocab();
        float[] all = new float[ids.length * v];
        for (int i = 0; i < ids.length; i++) System.arraycopy(model.forward(st, ids, i, 1, Model.Logits.LAST), 0, all, i * v, v);
        return all;
    }

    @Test
    void budgetAtLeastTheSequenceLengthChangesNothing() {
        for (String name : new String[] {"goldfinch-tiny", "llama-tiny"}) {
            try (Model model = load(name)) {
                int[] ids = tokens(name);
                float[] plain = decodeOneByOne(model, model.newState(), ids);
                InferenceState bounded = model.newState();
                bounded.setTovaBudget(ids.length);
                assertArrayEquals(plain, decodeOneByOne(model, bounded, ids), name + ": TOVA with B >= T must be plain attention");
            }
        }
    }

    @Test
    void smallBudgetBoundsAttendedPositionsPerToken() {
        try (Model model = load("goldfinch-tiny")) {
            int[] ids = tokens("goldfinch-tiny");
            int budget = 8, heads = model.config().heads(), layers = model.config().attentionLayers();
            InferenceState st = model.newState();
            st.setTovaBudget(budget);
            long before = 0;
            for (int i = 0; i < ids.length; i++) {
                model.forward(st, ids, i, 1, Model.Logits.LAST);
                long perToken = st.attendedPositions() - before;
                before = st.attendedPositions();
                // A new token sees at most B kept entries plus itself, in every head of every attention layer.
                assertTrue(perToken <= (long) (budget + 1) * heads * layers, "token " + i + " attended " + perToken);
            }
            InferenceState full = model.newState();
            decodeOneByOne(model, full, ids);
            assertTrue(full.attendedPositions() > 3 * st.attendedPositions(), "unbounded attention does more work");
            for (LayerState ls : st.layers) if (ls.kv != null) assertTrue(ls.kv.length <= budget);
        }
    }

    @Test
    void attentionMassFallsWhereTheKeysPointTheQuery() {
        // A cache whose key at position 7 is the query (scaled up), and zero elsewhere: the softmax peaks at 7.
        int heads = 2, n = 4, a = heads * n, len = 12;
        KvCache kv = new KvCache(a);
        float[] q = {1, 0, 0, 0, 0, 1, 0, 0};
        float[] keys = new float[len * a], values = new float[len * a];
        for (int h = 0; h < heads; h++) for (int i = 0; i < n; i++) keys[7 * a + h * n + i] = q[h * n + i] * 40;
        kv.append(keys, values, len, 0);
        InferenceState st = new InferenceState(new LayerState[0], a, a);
        st.trackAttentionMass(10);
        Attention.causal(q, 1, new Step(len - 1, st), kv, heads, n);
        float[] mass = st.attentionMass();
        int argmax = 0;
        for (int i = 1; i < mass.length; i++) if (mass[i] > mass[argmax]) argmax = i;
        assertEquals(7, argmax);
        assertEquals(heads, mass[7], 1e-3, "nearly all of each head's weight");
    }
}
