package dev.goldfinch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.FailureMessage;
import dev.goldfinch.app.Main;
import dev.goldfinch.engine.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A bad -Dgoldfinch.vectorBits is refused in one line before any command runs; a good one is taken. */
class VectorWidthSettingTest {
    record Exit(int code, List<String> lines) {
    }

    /** `goldfinch --version` in a JVM of its own with the setting; the lines it wrote, the incubator warning left out. */
    private static Exit goldfinch(String vectorBits) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-Dgoldfinch.vectorBits=" + vectorBits,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
        return new Exit(p.exitValue(), out.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList());
    }

    @Test
    void anUnknownWidthIsOneLine() throws Exception {
        Exit e = goldfinch("1024");
        assertEquals(1, e.code(), e.lines().toString());
        assertEquals(1, e.lines().size(), e.lines().toString());
        assertTrue(e.lines().getFirst().startsWith("goldfinch: -Dgoldfinch.vectorBits=1024 is not a vector width: 128, 256 or 512"), e.lines().toString());
    }

    @Test
    void aWidthEveryCpuHasIsTaken() throws Exception {
        Exit e = goldfinch("128");
        assertEquals(0, e.code(), e.lines().toString());
        assertEquals(List.of("GoldFinch Reader 0.1"), e.lines());
    }

    @Test
    void aClassThatCouldNotLoadIsDescribedByItsCause() {
        assertEquals("the reason", FailureMessage.of(new ExceptionInInitializerError(new EngineException("the reason"))));
    }
}
