package dev.goldfinch.engine.model;

import dev.goldfinch.engine.Fixtures;
import java.util.OptionalDouble;
import jdk.incubator.vector.FloatVector;

/**
 * Run in a JVM of its own with -XX:MaxVectorSize=B: every model fixture, in one call, one token at a time and in chunks
 * of 7, against its reference logits. Prints the vector width the kernels ran at, then "worst E" (VectorWidthsTest).
 */
public final class VectorWidthMain {
    public static void main(String[] args) {
        System.out.println("bits " + FloatVector.SPECIES_PREFERRED.vectorBitSize());
        float worst = 0;
        for (Fixtures.Model m : Fixtures.models()) {
            try (Model model = ModelLoader.load(m.checkpoint(), OptionalDouble.of(m.ropeBase()))) {
                float[] ref = m.logits();
                for (int chunk : new int[] {0, 1, 7}) {
                    float err = Fixtures.maxAbsDiff(ReferenceLogitsTest.logits(model, m.tokens(), chunk), 0, ref, 0, ref.length);
                    System.out.println(m + " chunk " + chunk + ": " + err);
                    worst = Math.max(worst, Float.isNaN(err) ? Float.POSITIVE_INFINITY : err);
                }
            }
        }
        System.out.println("worst " + worst);
    }
}
