package dev.goldfinch.engine.kernel;

import dev.goldfinch.engine.EngineException;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width of every kernel, decided once per JVM: the CPU's preferred species (256 bits with AVX2, 512 with
 * AVX-512), or the narrower one the system property {@value #PROPERTY} names (128, 256 or 512), so that the code
 * paths of every width run and are tested on one machine. A width wider than the CPU's vectors (the Vector API would
 * emulate it, many times slower) or any other value is refused in one line when the first kernel loads.
 * Kernels that need a narrower species for a conversion (bf16 or int8 widened to float lanes) derive it from
 * {@link #FLOAT}.
 */
public final class Vectors {
    public static final String PROPERTY = "goldfinch.vectorBits";

    /** The float species of every kernel. */
    public static final VectorSpecies<Float> FLOAT = floatSpecies(System.getProperty(PROPERTY), FloatVector.SPECIES_PREFERRED);
    /** Int lanes of the same width: float bit tricks, int8 weights read four to a lane. */
    public static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());
    /** Short lanes of the same width: bf16 and f16 bit patterns. */
    public static final VectorSpecies<Short> SHORT = VectorSpecies.of(short.class, FLOAT.vectorShape());
    /**
     * Vector registers the compiled kernels have, at every width: 32 with AVX-512 (the JVM prefers 512-bit vectors only
     * then, and C2 uses its extra registers for narrower vectors too), 16 otherwise. Register tiles are sized by it.
     */
    public static final int REGISTERS = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 32 : 16;

    private Vectors() {
    }

    /** Nothing but this class's first use: a bad setting is refused now, before any work starts. */
    public static void check() {
    }

    /** The species for a setting of {@value #PROPERTY} (null: none) on a CPU whose preferred species is {@code preferred}. */
    static VectorSpecies<Float> floatSpecies(String setting, VectorSpecies<Float> preferred) {
        if (setting == null || setting.isBlank()) return preferred;
        int cpuBits = preferred.vectorBitSize();
        int bits = switch (setting.strip()) {
            case "128" -> 128;
            case "256" -> 256;
            case "512" -> 512;
            default -> throw new EngineException("-D" + PROPERTY + "=" + setting + " is not a vector width: 128, 256 or 512 (this CPU's vectors have up to "
                    + cpuBits + " bits)");
        };
        if (bits > cpuBits) {
            throw new EngineException("-D" + PROPERTY + "=" + bits + ": this CPU's vectors have only " + cpuBits + " bits");
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
