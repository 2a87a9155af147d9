package dev.goldfinch.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one vector-width setting: what each value of -Dgoldfinch.vectorBits chooses or refuses, and that every kernel
 * runs at the width chosen. VectorWidthsTest runs this class again in JVMs set to 128, 256 and 512 bits.
 */
class VectorsTest {
    @Test
    void theSettingChoosesTheSpecies() {
        assertSame(FloatVector.SPECIES_256, Vectors.floatSpecies(null, FloatVector.SPECIES_256), "none: the CPU's preferred");
        assertSame(FloatVector.SPECIES_512, Vectors.floatSpecies(" ", FloatVector.SPECIES_512));
        assertSame(FloatVector.SPECIES_128, Vectors.floatSpecies("128", FloatVector.SPECIES_256));
        assertSame(FloatVector.SPECIES_256, Vectors.floatSpecies("256", FloatVector.SPECIES_256));
        assertSame(FloatVector.SPECIES_256, Vectors.floatSpecies("256", FloatVector.SPECIES_512));
        assertSame(FloatVector.SPECIES_512, Vectors.floatSpecies(" 512", FloatVector.SPECIES_512));
    }

    @Test
    void aWidthTheCpuLacksIsRefusedInOneLine() {
        EngineException e = assertThrows(EngineException.class, () -> Vectors.floatSpecies("512", FloatVector.SPECIES_256));
        assertEquals("-Dgoldfinch.vectorBits=512: this CPU's vectors have only 256 bits", e.getMessage());
        assertThrows(EngineException.class, () -> Vectors.floatSpecies("256", FloatVector.SPECIES_128));
    }

    @ParameterizedTest
    @ValueSource(strings = {"64", "1024", "abc", "256bits", "-256"})
    void anyOtherValueIsRefusedInOneLine(String setting) {
        EngineException e = assertThrows(EngineException.class, () -> Vectors.floatSpecies(setting, FloatVector.SPECIES_256));
        assertEquals("-Dgoldfinch.vectorBits=" + setting + " is not a vector width: 128, 256 or 512 (this CPU's vectors have up to 256 bits)", e.getMessage());
    }

    /** In a JVM with the property set, the kernels run at that width, however wide the CPU's vectors are. */
    @Test
    void everyKernelRunsAtTheWidthSet() {
        String setting = System.getProperty(Vectors.PROPERTY);
        int bits = setting == null ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(setting);
        assertEquals(bits, Vectors.FLOAT.vectorBitSize());
        assertEquals(bits, Vectors.INT.vectorBitSize());
        assertEquals(bits, Vectors.SHORT.vectorBitSize());
        assertSame(Vectors.FLOAT, MatMul.F);
        assertEquals(2 * bits / 32, MatMul.TOKENS, "the batch kernel's tile: two vectors of tokens");
        assertEquals(bits / 32, AttentionKernel.LANES);
        assertEquals(bits / 8, Int8MatMul.STEP, "one int vector of int8 weights");
        assertEquals(bits / 32, Reduce.sum(FloatVector.broadcast(Vectors.FLOAT, 1f)), "Reduce sums the lanes of this species");
    }

    /** Every kernel takes its species from Vectors: no other class of the engine picks a width of its own. */
    @Test
    void noOtherClassChoosesAVectorWidth() throws IOException {
        List<Path> own;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            own = files.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("Vectors.java"))
                    .filter(VectorsTest::choosesAWidth).toList();
        }
        assertEquals(List.of(), own);
        assertTrue(choosesAWidth(Path.of("src/main/java/dev/goldfinch/engine/kernel/Vectors.java")), "the scan finds Vectors' own choice");
    }

    private static boolean choosesAWidth(Path source) {
        try {
            String text = Files.readString(source);
            return text.contains("SPECIES_") || text.contains("preferredShape") || text.contains("VectorShape.S_");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
