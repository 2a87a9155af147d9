package dev.goldfinch.app.cli.bench;

import dev.goldfinch.app.models.MachineSpeed;
import dev.goldfinch.engine.kernel.Vectors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the machine can do at best, measured the way the engine's kernels work (Vector API, all threads): the memory
 * bandwidth a streaming read reaches, and the peak of register-resident fused multiply-adds ({@link MachineSpeed}, where
 * the download list's reading times come from too). The benchmarks print their figures next to these.
 */
final class MachineLimits {
    /** The CPU's widest vectors: the probes measure the machine at its best, whatever width the kernels were set to. */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static volatile float sink;

    private MachineLimits() {
    }

    /**
     * GB/s (1e9 bytes) of a read-only stream over {@code bytes} of off-heap memory (far larger than the caches),
     * summed with the Vector API by {@code threads} threads, each over its own slice; the best of {@code runs}.
     */
    static double memoryBandwidth(long bytes, int threads, int runs) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(bytes, 64);
            seg.fill((byte) 1); // touch every page before timing
            long vecBytes = F.vectorByteSize();
            long perThread = bytes / threads / (vecBytes * 4) * (vecBytes * 4); // four whole quarters of vectors
            double best = 0;
            for (int r = 0; r < runs; r++) {
                double seconds = timeParallel(threads, t -> {
                    sink += sum(seg, t * perThread, perThread);
                    return 0;
                });
                best = Math.max(best, perThread / 4 * 4 * threads / seconds / 1e9);
            }
            return best;
        }
    }

    /**
     * Sums [from, from+len) as four streams, one per quarter, read side by side: a core keeps several streams in flight
     * far better than one (the decode kernel reads its weights the same way), so this is what a core can pull from memory.
     */
    private static float sum(MemorySegment seg, long from, long len) {
        int step = F.vectorByteSize();
        long q = len / 4 / step * step;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (long p = from, end = from + q; p < end; p += step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, seg, p, LE));
            a1 = a1.add(FloatVector.fromMemorySegment(F, seg, p + q, LE));
            a2 = a2.add(FloatVector.fromMemorySegment(F, seg, p + 2 * q, LE));
            a3 = a3.add(FloatVector.fromMemorySegment(F, seg, p + 3 * q, LE));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    /** GFLOP/s of independent register-resident FMA chains (2 flops per lane per FMA) on {@code threads} threads; best of runs. */
    static double fmaPeak(int threads, int runs) {
        return MachineSpeed.fmaPeak(threads, 50_000_000L, runs);
    }

    /** Runs body(0 … threads−1) on that many platform threads started together; seconds from start to the last finish. */
    static double timeParallel(int threads, IntToDoubleFunction body) {
        return MachineSpeed.timeParallel(threads, body::applyAsDouble);
    }

    /**
     * CPU time used on this machine by other processes, for telling a clean measurement from a disturbed one (the
     * benchmark machines are shared). Linux only: elsewhere {@link #otherLoad} answers NaN.
     */
    record CpuSample(long busyTicks, long ownTicks, long nanos) {
    }

    static CpuSample cpuSample() {
        try {
            String[] all = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < all.length && i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(all[i]); // all but idle, iowait
            String self = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            // utime, stime, and the children's that were waited for (a peer's benchmark run by bench compare is its own work)
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new CpuSample(busy, own, System.nanoTime());
        } catch (Exception e) {
            return new CpuSample(-1, -1, System.nanoTime());
        }
    }

    /** "12%" for a share from {@link #otherLoad}, "(unknown)" where it could not be measured. */
    static String percent(double share) {
        return Double.isNaN(share) ? "(unknown)" : String.format(java.util.Locale.ROOT, "%.0f%%", 100 * share);
    }

    /** Share (0 … 1) of all CPUs' time between two samples that other processes (and the hypervisor) took. */
    static double otherLoad(CpuSample a, CpuSample b) {
        if (a.busyTicks() < 0 || b.busyTicks() < 0) return Double.NaN;
        double ticks = (b.nanos() - a.nanos()) / 1e9 * 100 * Runtime.getRuntime().availableProcessors(); // USER_HZ = 100
        double other = (b.busyTicks() - a.busyTicks()) - (b.ownTicks() - a.ownTicks());
        return Math.max(0, Math.min(1, other / ticks));
    }

    /** The first line of every benchmark: what it runs on. */
    static void printMachineLine() {
        System.out.println("machine: " + describe());
    }

    /** One line about the CPU for the reports: cores and the kernels' vector width (and the CPU's, where -Dgoldfinch.vectorBits narrowed it). */
    static String describe() {
        VectorSpecies<Float> k = Vectors.FLOAT;
        String narrowed = k.vectorBitSize() == F.vectorBitSize() ? "" : "; -D" + Vectors.PROPERTY + ", the CPU has " + F.vectorBitSize();
        return Runtime.getRuntime().availableProcessors() + " cores, " + k.vectorBitSize() + "-bit vectors (" + k.length() + " float lanes" + narrowed + ")"
                + cpu();
    }

    /** ", AMD EPYC; avx2 fma" : the CPU's name and the instruction sets the kernels can meet (Linux: /proc/cpuinfo). */
    private static String cpu() {
        try {
            List<String> info = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"));
            String name = info.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
            List<String> flags = info.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> List.of(l.substring(l.indexOf(':') + 1).strip().split(" "))).orElse(List.of());
            String features = java.util.stream.Stream.of("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "avx_vnni")
                    .filter(flags::contains).collect(java.util.stream.Collectors.joining(" "));
            return ", " + name + "; " + (features.isEmpty() ? "no AVX2" : features);
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    static long touch(MemorySegment seg) {
        long s = 0;
        for (long p = 0; p < seg.byteSize(); p += 4096) s += seg.get(ValueLayout.JAVA_BYTE, p);
        return s;
    }
}
