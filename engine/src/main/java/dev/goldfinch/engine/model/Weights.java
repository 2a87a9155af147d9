package dev.goldfinch.engine.model;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.tensor.Tensor;
import java.util.Arrays;

/** Typed access to one block's tensors, with shape checks that name the offending tensor. */
final class Weights {
    private final Checkpoint checkpoint;
    private final String prefix;
    /** Non-null when the large matrices are held as int8. */
    private final Int8Weights int8;

    Weights(Checkpoint checkpoint, String prefix, Int8Weights int8) {
        this.checkpoint = checkpoint;
        this.prefix = prefix;
        this.int8 = int8;
    }

    Tensor tensor(String name, long... shape) {
        Tensor t = checkpoint.get(prefix + name);
        if (shape.length > 0 && !Arrays.equals(squeeze(t.shape()), squeeze(shape))) {
            throw new EngineException("checkpoint " + checkpoint.path().getFileName() + ": tensor '" + prefix + name
                    + "' has shape " + t.shapeString() + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    /** The tensors under prefix + sub (e.g. "att."). */
    Weights child(String sub) {
        return new Weights(checkpoint, prefix + sub, int8);
    }

    boolean has(String name) {
        return checkpoint.find(prefix + name).isPresent();
    }

    /** A vector parameter (stored [D] or [1, 1, D]) as floats. */
    float[] vector(String name, int n) {
        Tensor t = tensor(name);
        if (t.elements() != n) {
            throw new EngineException("checkpoint " + checkpoint.path().getFileName() + ": tensor '" + prefix + name
                    + "' has shape " + t.shapeString() + ", expected " + n + " values");
        }
        return t.toFloats();
    }

    /** A linear map's weight [out, in]: mapped as stored, or quantized to int8 (LoRA factors never are). */
    Linear linear(String name, int out, int in) {
        Tensor t = tensor(name, out, in);
        return int8 != null ? Linear.int8(t, int8.matrix(t)) : Linear.stored(t);
    }

    LayerNorm layerNorm(String name, int n) {
        return new LayerNorm(vector(name + ".weight", n), vector(name + ".bias", n));
    }

    private static long[] squeeze(long[] shape) {
        return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }
}
