package dev.goldfinch.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums the lanes of a vector in a fixed pairwise order. The Vector API leaves the order of reduceLanes(ADD)
 * unspecified, and compiled and interpreted code do differ in the last bit; a fixed tree of lane-wise adds gives
 * the same float in both, so a computation repeated anywhere in a run gives identical logits.
 */
public final class Reduce {
    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    private static final VectorShuffle<Float>[] ROTATE = rotations();

    private Reduce() {
    }

    public static float sum(FloatVector v) {
        for (VectorShuffle<Float> r : ROTATE) v = v.add(v.rearrange(r));
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] rotations() {
        int steps = Integer.numberOfTrailingZeros(F.length());
        VectorShuffle<Float>[] out = new VectorShuffle[steps];
        for (int s = 0, half = F.length() / 2; half >= 1; s++, half /= 2) {
            final int h = half;
            out[s] = VectorShuffle.fromOp(F, i -> (i + h) % F.length());
        }
        return out;
    }
}
