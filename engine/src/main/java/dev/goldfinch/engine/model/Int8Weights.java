package dev.goldfinch.engine.model;

import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.kernel.Int8Matrix;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a model's int8 matrices come from: the on-disk cache when it is valid, else quantized now (and then saved). */
final class Int8Weights {
    private final Checkpoint checkpoint;
    private final Arena arena = Arena.ofAuto();
    private final Int8WeightCache cached;
    private final Map<String, Int8Matrix> all = new LinkedHashMap<>();
    private int quantized;

    Int8Weights(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
        this.cached = Int8WeightCache.load(checkpoint, arena);
    }

    Int8Matrix matrix(Tensor w) {
        Int8Matrix m = cached == null ? null : cached.get(w.name());
        if (m == null || m.out() != w.size(0) || m.in() != w.size(1)) {
            m = Int8Matrix.quantize(w, arena);
            quantized++;
        }
        all.put(w.name(), m);
        return m;
    }

    /** Saves the cache if anything had to be quantized (first load, or a stale or damaged cache). */
    void saveIfNew() {
        if (quantized > 0) Int8WeightCache.write(checkpoint, all);
    }

    /** Matrices quantized in this load (0 when all came from a valid cache). */
    int quantizedNow() {
        return quantized;
    }
}
