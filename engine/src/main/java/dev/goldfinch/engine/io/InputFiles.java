package dev.goldfinch.engine.io;

import dev.goldfinch.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses what only looks like an input file, before anything opens it: reading a pipe waits for a writer forever,
 * a device such as /dev/zero never ends, and a /proc or /sys file reports 0 bytes whatever it holds.
 */
public final class InputFiles {
    /** Kernel file systems whose "files" are made up when read (their sizes say nothing). */
    private static final Set<String> PSEUDO = Set.of("proc", "sysfs", "debugfs", "tracefs", "securityfs", "configfs",
            "cgroup", "cgroup2", "efivarfs", "bpf", "pstore", "fusectl", "binfmt_misc");

    private InputFiles() {
    }

    /**
     * Throws an {@link EngineException} "{@code what}: no such file", "…: is a directory" or "…: not a regular file
     * (…)" unless {@code file} (after symbolic links) is a regular file on a real file system.
     */
    public static void requireRegular(Path file, String what) {
        String problem = problem(file);
        if (problem != null) throw new EngineException(what + ": " + problem);
    }

    /** What is wrong with {@code file} as an input, or null if it is a regular file. */
    public static String problem(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return "no such file";
        } catch (IOException e) {
            return "cannot read it (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        }
        if (a.isDirectory()) return "is a directory, not a file";
        if (!a.isRegularFile() || onPseudoFileSystem(file)) return "not a regular file (a pipe, a device or a /proc file)";
        return null;
    }

    private static boolean onPseudoFileSystem(Path file) {
        try {
            return PSEUDO.contains(Files.getFileStore(file).type().toLowerCase(Locale.ROOT));
        } catch (IOException | RuntimeException e) {
            return false; // no mount table to ask: the size checks that follow still apply
        }
    }
}
