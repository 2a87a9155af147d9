package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadException.reason;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One download of a file at a time, across windows, commands and processes: two writers would ruin the
 * {@code .part}. The lock is {@code FILE.lock} beside the target, held with the operating system's file lock, so a
 * crashed process leaves nothing that blocks the next download; a second download of the same file is refused in
 * one line at once, not made to wait.
 */
final class DownloadLock {
    private DownloadLock() {
    }

    /** What runs while the lock is held. */
    @FunctionalInterface
    interface Locked<T> {
        T run() throws DownloadException;
    }

    static <T> T holding(Path target, Locked<T> body) throws DownloadException {
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        try (FileChannel lc = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = lc.tryLock();
            } catch (OverlappingFileLockException e) { // held by this process
                lock = null;
            }
            if (lock == null) {
                throw new DownloadException(Kind.BUSY, target.getFileName() + " is already being downloaded into " + target.getParent()
                        + " (by another window or command); wait for it or stop it first");
            }
            try {
                return body.run();
            } finally {
                LocalFiles.deleteQuietly(lockFile); // while still holding the lock: whoever opens it next makes a new one
                lock.release();
            }
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadException(Kind.LOCAL_IO, "cannot lock " + lockFile + ": " + reason(e), e);
        }
    }
}
