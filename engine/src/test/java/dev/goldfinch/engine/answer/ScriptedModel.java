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
 * A real Finch checkpoint that, answered greedily with a presence penalty, writes a chosen token sequence: its one
 * block adds nothing (every weight zero), so the logits depend only on the last token fed, through an embedding per
 * scripted token that the layer norms turn into a vector orthogonal to every other one, and a head that scores that
 * token's successors along it. A token that occurs more than once may have different successors: they are scored in
 * the order of the script, half the repeat penalty apart, so each visit takes the first successor not yet written.
 * After the script's last token every logit is zero or less and token 0 (end of text) wins the tie.
 */
public final class ScriptedModel {
    public static final int D = 64;
    private static final float TOP = 20, PENALTY = 10;
    /** Greedy, with the presence penalty that moves a repeated token on to its next successor. */
    public static final SamplingOptions SAMPLING = new SamplingOptions(0, 1, 0, PENALTY, 0, 0);

    private ScriptedModel() {
    }

    /** {@link #write(Path, double, int, int...)} for {@link #SAMPLING}. */
    public static Path write(Path file, int start, int... script) {
        return write(file, PENALTY, start, script);
    }

    /**
     * Writes a checkpoint whose greedy answer after a prompt ending in token {@code start} is {@code script}, then
     * token 0, when a token already written loses at least {@code repeatPenalty} (presence + frequency penalty).
     * At most D/2 different tokens.
     */
    public static Path write(Path file, double repeatPenalty, int start, int... script) {
        Map<Integer, List<Integer>> successors = new LinkedHashMap<>();
        int current = start;
        for (int next : script) {
            List<Integer> s = successors.computeIfAbsent(current, k -> new ArrayList<>());
            if (s.isEmpty() || s.getLast() != next) s.add(next);
            current = next;
        }
        successors.computeIfAbsent(current, k -> new ArrayList<>());
        if (successors.size() > D / 2) throw new IllegalArgumentException("at most " + D / 2 + " different tokens");
        float step = (float) (repeatPenalty / 2);
        int vocab = RandomModels.DEFAULT_VOCAB;
        float[] emb = new float[vocab * D];
        float[] head = new float[vocab * D];
        // Token k's embedding is e(2k) − e(2k+1): mean zero, so the layer norms only scale it (to ±sqrt(D/2)), and
        // orthogonal to the others. Its successors' head rows point along it, scaled so that the logit is the score.
        double normed = Math.sqrt(D / 2.0);
        int slot = 0;
        for (var e : successors.entrySet()) {
            emb[e.getKey() * D + 2 * slot] = 1;
            emb[e.getKey() * D + 2 * slot + 1] = -1;
            List<Integer> next = e.getValue();
            for (int rank = 0; rank < next.size(); rank++) {
                float score = TOP - rank * step;
                head[next.get(rank) * D + 2 * slot] += (float) (score / (2 * normed));
                head[next.get(rank) * D + 2 * slot + 1] -= (float) (score / (2 * normed));
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
