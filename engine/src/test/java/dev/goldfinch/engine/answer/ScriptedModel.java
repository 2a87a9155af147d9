package dev.goldfinch.engine.answer;

import dev.goldfinch.engine.checkpoint.CheckpointWriter;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.tensor.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Finch checkpoint that, answered greedily with {@link #SAMPLING}, writes a chosen token sequence: its one
 * block adds nothing (every weight zero), so the logits depend only on the last token fed, through a one-hot
 * embedding per scripted token and a head that scores that token's successors. A token that occurs more than once
 * may have different successors: they are scored in the order of the script, a step apart that is smaller than the
 * presence penalty, so each visit takes the first successor not yet written. After the script's last token every
 * scripted logit is below zero and token 0 (end of text) wins.
 */
final class ScriptedModel {
    static final int D = 64;
    private static final float TOP = 20, STEP = 5, PENALTY = 10;
    /** Greedy, with the presence penalty that moves a repeated token on to its next successor. */
    static final SamplingOptions SAMPLING = new SamplingOptions(0, 1, 0, PENALTY, 0, 0);

    private ScriptedModel() {
    }

    /**
     * Writes a checkpoint whose greedy answer after a prompt ending in token {@code start} is {@code script}, then
     * token 0. At most {@link #D} different tokens.
     */
    static Path write(Path file, int start, int... script) {
        Map<Integer, List<Integer>> successors = new LinkedHashMap<>();
        int current = start;
        for (int next : script) {
            List<Integer> s = successors.computeIfAbsent(current, k -> new ArrayList<>());
            if (s.isEmpty() || s.getLast() != next) s.add(next);
            current = next;
        }
        successors.computeIfAbsent(current, k -> new ArrayList<>());
        if (successors.size() > D) throw new IllegalArgumentException("at most " + D + " different tokens");
        int vocab = RandomModels.DEFAULT_VOCAB;
        float[] emb = new float[vocab * D];
        float[] head = new float[vocab * D];
        // z: the layer-normed one-hot vector a scripted token becomes; its successors' head rows point along it.
        double mean = 1.0 / D, sd = Math.sqrt(mean * (1 - mean) + 1e-5);
        double norm2 = D * (mean * (1 - mean)) / (sd * sd);
        int slot = 0;
        for (var e : successors.entrySet()) {
            emb[e.getKey() * D + slot] = 1;
            List<Integer> next = e.getValue();
            for (int rank = 0; rank < next.size(); rank++) {
                float score = TOP - rank * STEP;
                for (int i = 0; i < D; i++) {
                    double z = ((i == slot ? 1 : 0) - mean) / sd;
                    head[next.get(rank) * D + i] += (float) (score * z / norm2);
                }
            }
            slot++;
        }
        try (CheckpointWriter w = CheckpointWriter.create(file)) {
            for (RandomModels.TensorSpec t : RandomModels.tensors(Architecture.FINCH, 1, D, vocab)) {
                float[] values = switch (t.name()) {
                    case "emb.weight" -> emb;
                    case "head.weight" -> head;
                    case "blocks.0.ln0.weight", "ln_out.weight" -> ones(D);
                    default -> new float[(int) t.elements()];
                };
                w.add(t.name(), DType.F32, t.shape(), values);
            }
        }
        return file;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
