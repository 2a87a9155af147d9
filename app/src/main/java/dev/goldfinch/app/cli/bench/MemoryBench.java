package dev.goldfinch.app.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bench memory}: the machine's limits alone, which the other benchmarks print their figures next to. */
@Command(name = "memory", mixinStandardHelpOptions = true, description = "The machine's memory bandwidth (streaming read) and FMA peak, with 1 thread and all threads.")
final class MemoryBench implements Callable<Integer> {
    @Mixin
    BenchOptions bench;

    @Override
    public Integer call() {
        int all = Runtime.getRuntime().availableProcessors();
        MachineLimits.printMachineLine();
        MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
        for (int t : threadCounts(all)) {
            System.out.printf(Locale.ROOT, "memory bandwidth, %d thread%s: %.1f GB/s%n", t, t == 1 ? "" : "s", bench.bandwidth(t));
        }
        for (int t : threadCounts(all)) {
            System.out.printf(Locale.ROOT, "fma peak, %d thread%s: %.1f GFLOP/s%n", t, t == 1 ? "" : "s", MachineLimits.fmaPeak(t, 5));
        }
        System.out.println("  other processes took " + MachineLimits.percent(MachineLimits.otherLoad(c0, MachineLimits.cpuSample())) + " of the CPUs during these measurements");
        return 0;
    }

    /** 1, and all cores where there are more. */
    private static List<Integer> threadCounts(int all) {
        List<Integer> out = new ArrayList<>(List.of(1));
        if (all > 1) out.add(all);
        return out;
    }
}
