package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels (matmul, WKV-6, WKV-7, attention) at every vector width this CPU can run: each width in a JVM of its
 * own (-XX:MaxVectorSize decides the preferred species), every fixture against its reference. The machines this
 * project runs on are AVX2 (256 bits) or AVX-512 (512 bits); 128 bits is the fallback of older CPUs.
 */
class VectorWidthsTest {
    @TempDir
    Path dir;

    static IntStream widths() {
        int max = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return IntStream.of(128, 256, 512).filter(b -> b <= max);
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void everyFixtureMatchesAtThisVectorWidth(int bits) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=" + bits / 8,
                "-Dgoldfinch.shared=" + System.getProperty("goldfinch.shared", "../../shared"),
                "-cp", System.getProperty("java.class.path"), VectorWidthMain.class.getName()));
        Path log = dir.resolve("width.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out");
        List<String> out = Files.readAllLines(log);
        assertEquals(0, p.exitValue(), String.join("\n", out));
        assertTrue(out.contains("bits " + bits), "ran at the asked width: " + out.stream().filter(l -> l.startsWith("bits")).toList());
        String last = out.get(out.size() - 1);
        assertTrue(last.startsWith("worst "), String.join("\n", out));
        float worst = Float.parseFloat(last.substring(6));
        assertTrue(worst <= ReferenceLogitsTest.BOUND, bits + " bits: worst max abs error " + worst + "\n" + String.join("\n", out));
    }
}
