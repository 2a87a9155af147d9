package dev.goldfinch.engine.model;

import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.kernel.NonFinite;
import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * Not a unit test: what the NaN/Inf scan of a checkpoint costs at load. Run it on a large checkpoint, e.g. a random
 * L24-D2048 bf16 one ({@code goldfinch bench} writes them to ~/.cache/goldfinch/bench):
 * <pre>
 * ./mvnw -q -B -pl engine -am test-compile
 * java --add-modules jdk.incubator.vector -Dgoldfinch.cache.dir=/tmp/gf-scan -cp "$(cat cp.txt):engine/target/classes:engine/target/test-classes" \
 *     dev.goldfinch.engine.model.FiniteScanBenchmark CHECKPOINT.pth [runs]
 * </pre>
 * Each run forgets the checked checkpoints, then times a load (it scans), a second load (the clean scan is
 * remembered), and the bare scan on 1 thread and on all threads. The first pass may include reading the file from
 * disk; later ones find it in the page cache.
 */
public final class FiniteScanBenchmark {
    private FiniteScanBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int cores = Runtime.getRuntime().availableProcessors();
        Path records = CacheFolder.resolve("finite");
        System.out.printf("%s: %.2f GB, %d cores; records in %s%n", file.getFileName(), Files.size(file) / 1e9, cores, records);
        for (int r = 0; r < runs; r++) {
            if (Files.isDirectory(records)) {
                try (var old = Files.list(records)) {
                    for (Path p : old.toList()) Files.delete(p);
                }
            }
            double first = loadSeconds(file), second = loadSeconds(file);
            System.out.printf("run %d: load (open + scan + model) %.3f s; again, the clean scan remembered %.3f s: the scan costs %.3f s%n",
                    r, first, second, first - second);
            try (Checkpoint c = Checkpoint.open(file)) {
                long bytes = c.tensors().values().stream().mapToLong(t -> t.data().byteSize()).sum();
                for (int threads : new int[] {1, cores}) {
                    Parallel.setThreads(threads);
                    long s0 = System.nanoTime();
                    int bad = 0;
                    for (Tensor t : c.tensors().values()) bad += NonFinite.first(t.data(), t.dtype()) >= 0 ? 1 : 0;
                    double s = (System.nanoTime() - s0) / 1e9;
                    System.out.printf("  NonFinite over %.2f GB on %d thread%s: %.3f s (%.1f GB/s)%s%n", bytes / 1e9, threads, threads == 1 ? "" : "s",
                            s, bytes / s / 1e9, bad == 0 ? "" : "; " + bad + " tensors hold non-finite values");
                }
            }
        }
    }

    private static double loadSeconds(Path file) {
        long t0 = System.nanoTime();
        try (Model m = ModelLoader.load(file, OptionalDouble.empty(), WeightFormat.STORED)) {
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
