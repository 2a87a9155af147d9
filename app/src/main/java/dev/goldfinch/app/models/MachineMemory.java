package dev.goldfinch.app.models;

import java.lang.management.ManagementFactory;

/** The machine's physical memory, which decides what fits ({@link ModelCatalogue#fit}). */
public final class MachineMemory {
    private MachineMemory() {
    }

    /** Total physical memory in bytes (of the container, where the JVM sees a limit), or 8 GB if it cannot be told. */
    public static long total() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            if (total > 0) return total;
        }
        return 8_000_000_000L;
    }
}
