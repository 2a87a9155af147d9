package dev.goldfinch.app.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code goldfinch bench …}: the engine's speed on random-weight models of the paper's real shapes, next to what the
 * machine can do at best, measured in the same run. Every result is one greppable line starting with the benchmark's
 * name; detail lines start with two spaces.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks on random weights of the real shapes: memory, decode, matmul, prefill, tova, reload, footprint.",
        subcommands = {MemoryBench.class, DecodeBench.class, MatMulBench.class, PrefillBench.class, TovaBench.class, ReloadBench.class, FootprintBench.class, IntegerBench.class, CompareBench.class})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
