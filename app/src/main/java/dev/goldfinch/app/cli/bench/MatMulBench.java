package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.kernel.Int8MatMul;
import dev.goldfinch.engine.kernel.Int8Matrix;
import dev.goldfinch.engine.kernel.MatMul;
import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench matmul}: the matrix kernels alone, on random matrices, against the FMA peak and the memory bandwidth. */
@Command(name = "matmul", mixinStandardHelpOptions = true, description = "GFLOP/s of MatMul.matmul for batches of rows against the FMA peak, 1 thread and all threads.")
final class MatMulBench implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "1,64,256", split = ",", paramLabel = "T", description = "Batch sizes T (default ${DEFAULT-VALUE}).")
    List<Integer> rows;

    @Option(names = "--shapes", defaultValue = "2048x2048,7168x2048,2048x7168", split = ",", paramLabel = "OUTxIN",
            description = "Weight shapes [out x in] (default ${DEFAULT-VALUE}).")
    List<String> shapes;

    @Option(names = "--weights", defaultValue = "bf16,f32", split = ",", paramLabel = "bf16|f32|int8",
            description = "Weight types; int8 is bf16 quantized as the int8 weights option does (default ${DEFAULT-VALUE}).")
    List<String> weights;

    @Option(names = "--threads", defaultValue = "1,all", split = ",", paramLabel = "N|all", description = "Thread counts (default ${DEFAULT-VALUE}).")
    List<String> threadList;

    @Option(names = "--seconds", defaultValue = "1.5", paramLabel = "S", description = "Time per measurement (default ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() {
        int all = Runtime.getRuntime().availableProcessors();
        MachineLimits.printMachineLine();
        for (String tl : threadList) {
            int threads = tl.equals("all") ? all : Integer.parseInt(tl);
            Parallel.setThreads(threads);
            double peak = MachineLimits.fmaPeak(threads, 5);
            double bandwidth = rows.contains(1) ? MachineLimits.memoryBandwidth(1L << 30, threads, 3) : 0;
            String th = threads + " thread" + (threads == 1 ? "" : "s");
            System.out.printf(Locale.ROOT, "fma peak, %s: %.1f GFLOP/s%n", th, peak);
            if (bandwidth > 0) System.out.printf(Locale.ROOT, "memory bandwidth, %s: %.1f GB/s%n", th, bandwidth);
            for (String shape : shapes) {
                String[] oi = shape.toLowerCase(Locale.ROOT).split("x");
                int out = Integer.parseInt(oi[0]), in = Integer.parseInt(oi[1]);
                for (String w : weights) timeEveryBatch(out, in, w, th, peak, bandwidth);
            }
        }
        return 0;
    }

    /** One line per --rows batch size for a weight type at one shape. */
    private void timeEveryBatch(int out, int in, String w, String th, double peak, double bandwidth) {
        boolean int8 = RandomModelOptions.isInt8(w);
        DType dt = RandomModelOptions.storedType(w);
        // Enough copies that one pass over them is far larger than the last-level cache (as a model's weights are).
        long bytes = int8 ? (long) out * in + (long) out * (in / Int8Matrix.blockFor(in)) * 4 : (long) out * in * dt.bytes;
        int copies = (int) Math.max(1, Math.min(16, (256L << 20) / bytes + 1));
        try (Arena arena = Arena.ofShared()) {
            Kernel[] ws = new Kernel[copies];
            for (int c = 0; c < copies; c++) {
                Tensor m = randomMatrix(arena, out, in, dt, 17 + c);
                if (int8) {
                    Int8Matrix q = Int8Matrix.quantize(m, arena);
                    ws[c] = (x, t, y) -> Int8MatMul.matmul(q, x, t, y);
                } else {
                    ws[c] = (x, t, y) -> MatMul.matmul(m, x, t, y);
                }
            }
            for (int t : rows) {
                double[] r = timeMatMul(ws, t, out, in, seconds);
                double gflops = 2.0 * t * out * in * r[0] / 1e9;
                System.out.printf(Locale.ROOT, "matmul %dx%d %s T=%d, %s: %.1f GFLOP/s (FMA peak %.1f GFLOP/s, %.0f%%)", out, in, w, t, th,
                        gflops, peak, 100 * gflops / peak);
                if (t == 1) {
                    double gbs = bytes * r[0] / 1e9;
                    System.out.printf(Locale.ROOT, ", %.1f GB/s of weights (memory bandwidth %.1f GB/s, %.0f%%)", gbs, bandwidth, 100 * gbs / bandwidth);
                }
                System.out.printf(Locale.ROOT, "; %.3f ms per call; other load %s%n", 1000 / r[0], MachineLimits.percent(r[1]));
            }
        }
    }

    /** One weight copy's y = W·x over t rows. */
    private interface Kernel {
        void run(float[] x, int t, float[] y);
    }

    /** Calls per second of y = W·x over T rows, cycling through the weight copies: {calls/s, other processes' share}. */
    private static double[] timeMatMul(Kernel[] ws, int t, int out, int in, double seconds) {
        float[] x = new float[t * in];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        float[] y = new float[t * out];
        long warmEnd = System.nanoTime() + (long) (0.3e9 * Math.max(1, seconds / 2));
        int k = 0;
        while (System.nanoTime() < warmEnd) ws[k++ % ws.length].run(x, t, y);
        // Three parts, the fastest kept (a part another process disturbed is slower, never faster).
        double best = 0, load = Double.NaN;
        for (int part = 0; part < 3; part++) {
            MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
            long calls = 0, t0 = System.nanoTime(), end = t0 + (long) (seconds / 3 * 1e9), now;
            do {
                ws[k++ % ws.length].run(x, t, y);
                calls++;
                now = System.nanoTime();
            } while (now < end);
            double rate = calls / ((now - t0) / 1e9);
            if (rate > best) {
                best = rate;
                load = MachineLimits.otherLoad(c0, MachineLimits.cpuSample());
            }
        }
        return new double[] {best, load};
    }

    /** A random [out, in] matrix of uniform values with standard deviation 1/√in, as a model's linear maps have. */
    static Tensor randomMatrix(Arena arena, int out, int in, DType dt, long seed) {
        long n = (long) out * in;
        MemorySegment seg = arena.allocate(n * dt.bytes, 64);
        SplittableRandom rnd = new SplittableRandom(seed);
        float scale = (float) (Math.sqrt(3.0 / in) * 0x1p-31);
        ValueLayout.OfShort s16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            float v = scale * rnd.nextInt();
            if (dt == DType.BF16) seg.setAtIndex(s16, i, (short) (Float.floatToRawIntBits(v) >>> 16));
            else seg.setAtIndex(f32, i, v);
        }
        return new Tensor("bench[" + out + "x" + in + "]", dt, new long[] {out, in}, seg);
    }
}
