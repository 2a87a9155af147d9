package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.goldfinch.engine.kernel.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernels (matmul bf16/f32 and int8, attention, WKV-6, WKV-7) at 128, 256 and 512 bits: each width in a JVM of its
 * own, set by -Dgoldfinch.vectorBits (the one setting every kernel takes its species from, {@link Vectors}), where the
 * kernel tests run again and every fixture is checked against its reference. The machines this project runs on are
 * AVX2 (256 bits) or AVX-512 (512 bits); 128 bits is the fallback of older CPUs. A width is skipped, with the reason,
 * only on a CPU without its instructions (512 bits without AVX-512).
 */
class VectorWidthsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void kernelTestsAndEveryFixturePassAtThisVectorWidth(int bits) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector"));
        int widest = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits > widest) {
            String isa = bits == 512 ? "avx512f" : "avx2";
            String reason = bits + " bits skipped: this CPU has no " + (bits == 512 ? "AVX-512" : "AVX2") + " (its vectors have " + widest + " bits)";
            if (!cpuFlags().contains(isa)) System.out.println(reason);
            assumeTrue(cpuFlags().contains(isa), reason);
            // The CPU has them, but this JVM prefers narrower vectors (as on early Skylake-SP): ask for them.
            cmd.add("-XX:UseAVX=" + (bits == 512 ? 3 : 2));
        }
        cmd.addAll(List.of("-D" + Vectors.PROPERTY + "=" + bits, "-Dgoldfinch.shared=" + System.getProperty("goldfinch.shared", "../../shared"),
                "-Dgoldfinch.cache.dir=" + System.getProperty("goldfinch.cache.dir", dir.resolve("cache").toString()),
                "-cp", System.getProperty("java.class.path"), VectorWidthMain.class.getName()));
        Path log = dir.resolve("width.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "timed out");
        List<String> out = Files.readAllLines(log);
        assertEquals(0, p.exitValue(), String.join("\n", out));
        assertTrue(out.contains("bits " + bits), "ran at the asked width: " + out.stream().filter(l -> l.startsWith("bits")).toList());

        String classes = out.stream().filter(l -> l.startsWith("kernel test classes: ")).findFirst().orElse("none") + " ";
        for (String c : List.of("MatMulTest", "Int8MatMulTest", "AttentionKernelTest", "NonFiniteTest", "VectorsTest", "AttentionTest", "Int8WeightsTest", "OpsTest")) {
            assertTrue(classes.contains(" " + c + " "), c + " did not run at " + bits + " bits: " + classes);
        }
        String kernelTests = out.stream().filter(l -> l.startsWith("kernel tests: ")).findFirst().orElse("none");
        assertTrue(kernelTests.matches("kernel tests: [1-9][0-9]* passed, 0 failed, 0 aborted"), bits + " bits: " + String.join("\n", out));

        String last = out.get(out.size() - 1);
        assertTrue(last.startsWith("worst "), String.join("\n", out));
        float worst = Float.parseFloat(last.substring(6));
        assertTrue(worst <= ReferenceLogitsTest.BOUND, bits + " bits: worst max abs error " + worst + "\n" + String.join("\n", out));
    }

    /** The CPU's feature flags (Linux: /proc/cpuinfo), empty where they cannot be read. */
    private static List<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> List.of(l.substring(l.indexOf(':') + 1).strip().split(" "))).orElse(List.of());
        } catch (IOException e) {
            return List.of();
        }
    }
}
