package dev.goldfinch.app;

import dev.goldfinch.engine.TestEnvironment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A small tmpfs mounted by a test (root only, which CI is) to make a read-only or a full file system for real. */
public final class TmpfsMount implements AutoCloseable {
    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs of 16 MB at {@code dir} (an empty folder), or skips the test where that cannot be done, saying
     * why; in CI (GOLDFINCH_CI=1) that fails the test instead.
     */
    public static TmpfsMount at(Path dir, String untested) throws Exception {
        TestEnvironment.require(sh("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir.toString()), "cannot mount a tmpfs here (needs root): " + untested);
        return new TmpfsMount(dir);
    }

    public Path dir() {
        return dir;
    }

    /** From now on nothing on it can be written. */
    public boolean remountReadOnly() throws Exception {
        return sh("mount", "-o", "remount,ro", dir.toString());
    }

    @Override
    public void close() throws Exception {
        sh("umount", dir.toString());
    }

    private static boolean sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
