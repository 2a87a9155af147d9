package dev.goldfinch.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipe, a device or a /proc file given as a checkpoint, a token file or a vocabulary is refused at once: reading a
 * pipe would wait for a writer forever, /dev/zero never ends, and /proc files claim to be empty.
 */
class SpecialFilesTest {
    static final String NOT_REGULAR = "not a regular file (a pipe, a device or a /proc file)";

    @TempDir
    Path dir;

    /** A named pipe nobody writes to, made with mkfifo. */
    static Path fifo(Path dir) throws Exception {
        Path p = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is available");
        return p;
    }

    static List<Path> specialFiles(Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")) && Files.exists(Path.of("/proc/self/status")), "a Linux machine");
        return List.of(fifo(dir), Path.of("/dev/zero"), Path.of("/proc/self/status"));
    }

    /** Each special file fails with the message {@code expected} gives for it, within seconds (a hang fails the test). */
    static void refusedAtOnce(List<Path> files, Consumer<Path> read, java.util.function.Function<Path, String> expected) {
        for (Path f : files) {
            String message = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(EngineException.class, () -> read.accept(f)).getMessage(), f + " was read instead of refused");
            assertEquals(expected.apply(f), message);
        }
    }

    @Test
    void checkpoint() throws Exception {
        refusedAtOnce(specialFiles(dir), f -> Checkpoint.open(f).close(), f -> "checkpoint " + f + ": " + NOT_REGULAR);
    }

    @Test
    void tokens() throws Exception {
        refusedAtOnce(specialFiles(dir), Npy::readTokens, f -> f + ": " + NOT_REGULAR);
    }

    @Test
    void vocabulary() throws Exception {
        refusedAtOnce(specialFiles(dir), WorldTokenizer::load, f -> "tokenizer vocabulary " + f + ": " + NOT_REGULAR);
    }

    @Test
    void aSymbolicLinkToARegularFileIsFine() throws Exception {
        Path real = Files.write(dir.resolve("ids.npy"), NpyTest.npy("<i4", "1,", new byte[] {7, 0, 0, 0}));
        Path link = Files.createSymbolicLink(dir.resolve("link.npy"), real);
        assertEquals(7, Npy.readTokens(link)[0]);
        assertEquals(null, InputFiles.problem(link));
        assertEquals("no such file", InputFiles.problem(dir.resolve("missing")));
        assertEquals("is a directory, not a file", InputFiles.problem(dir));
    }
}
