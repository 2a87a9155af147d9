package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.model.RandomModels.Shape;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import picocli.CommandLine.Option;

/** The options of every benchmark that runs a random model (a picocli mixin), and the steps they all take. */
final class BenchOptions {
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where random checkpoints are kept and reused (default: ~/.cache/goldfinch/bench).")
    Path cacheDir;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random weights (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--vocab", defaultValue = "65536", paramLabel = "V", description = "Vocabulary (default ${DEFAULT-VALUE}, the RWKV World vocabulary).")
    int vocab;

    @Option(names = "--bandwidth-mib", defaultValue = "2048", paramLabel = "MiB", description = "Memory the bandwidth probe streams (default ${DEFAULT-VALUE}).")
    long bandwidthMib;

    /** Sets the thread count and prints what the benchmark runs on, as every benchmark's first line; returns the count. */
    int start() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Parallel.setThreads(n);
        MachineLimits.printMachineLine();
        return n;
    }

    double bandwidth(int threads) {
        return MachineLimits.memoryBandwidth(bandwidthMib << 20, threads, 5);
    }

    /** A random checkpoint of this architecture and shape from the cache directory, written there first if missing. */
    Path model(Architecture arch, Shape shape, DType dtype) {
        Path dir = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "goldfinch", "bench");
        String name = String.format(Locale.ROOT, "%s-%s-V%d-%s-seed%d.pth", arch.id, shape, vocab, dtype.name().toLowerCase(Locale.ROOT), seed);
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) return file;
        System.err.printf("bench: writing random checkpoint %s ...%n", file);
        long t0 = System.nanoTime();
        RandomModels.write(file, arch, shape, vocab, dtype, seed);
        double s = (System.nanoTime() - t0) / 1e9;
        System.err.printf("bench: wrote %.2f GB in %.1f s%n", size(file) / 1e9, s);
        return file;
    }

    /**
     * The random model for --weights: bf16 or f32 as stored, its pages read once so that timing starts from memory;
     * or int8, the bf16 checkpoint quantized at load as the int8 weights option does.
     */
    Model load(Architecture arch, Shape shape, String weights) {
        boolean int8 = RandomModelOptions.isInt8(weights);
        Model model = ModelLoader.load(model(arch, shape, RandomModelOptions.storedType(weights)), OptionalDouble.empty(),
                int8 ? WeightFormat.INT8 : WeightFormat.STORED);
        if (!int8) touch(model);
        return model;
    }

    /** Reads every page of the mapped weights once, so timing starts from memory, not from disk. */
    private static void touch(Model model) {
        long s = 0;
        for (Tensor t : model.checkpoint().tensors().values()) s += MachineLimits.touch(t.data());
        if (s == 42) System.out.print("");
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
