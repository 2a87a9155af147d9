package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.kernel.MatMul;
import dev.goldfinch.engine.tensor.DType;
import java.lang.foreign.Arena;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bench integer}: can integer dot products give a pre-fill more multiply-adds per second than float32 FMA, from
 * Java, on this CPU? The Vector API of JDK 25 has no pairwise short multiply-add, so the one way to reach
 * {@code vpmaddwd} (AVX2) or {@code vpdpwssd} (AVX-512 VNNI) is the loop shape C2's auto-vectorizer turns into it:
 * {@code out[i] += a[2i]·b[2i] + a[2i+1]·b[2i+1]}, whose accumulators live in memory, not in registers. This measures
 * that loop at its best (every array in the L1 cache), the same loop shape in float32, the engine's register-tiled
 * float32 matmul on a matrix that stays in the cache, and the FMA peak, in rounds, all threads.
 */
@Command(name = "integer", mixinStandardHelpOptions = true,
        description = "Multiply-adds per second of int16 pairwise dot products (C2's vpmaddwd loop) against the float32 FMA peak and the tiled float32 matmul.")
final class IntegerBench implements Callable<Integer> {
    /** Pairs per loop: the three arrays (2·2 KB of shorts, 4 KB of ints) stay in L1, and the loop is long enough to vectorize. */
    private static final int PAIRS = 1024;
    private static volatile int sink;

    @Mixin
    BenchOptions bench;

    @Override
    public Integer call() {
        int threads = bench.start();
        double peak = 0, tiled = 0, int16 = 0, f32 = 0;
        try (Arena arena = Arena.ofShared()) {
            var w = MatMulBench.randomMatrix(arena, 512, 512, DType.F32, 3);
            float[] x = new float[256 * 512], y = new float[256 * 512];
            SplittableRandom random = new SplittableRandom(4);
            for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 2 - 1);
            for (int round = 0; round < 3; round++) { // interleaved: a disturbance hits every kind alike, the best of each is kept
                peak = Math.max(peak, MachineLimits.fmaPeak(threads, 5) * 1e9 / 2); // GFLOP/s: two per multiply-add
                tiled = Math.max(tiled, perSecond(() -> MatMul.matmul(w, x, 256, y), 256L * 512 * 512));
                int16 = Math.max(int16, threads * 2.0 * PAIRS * loopsPerSecond(threads, IntegerBench::int16Loop));
                f32 = Math.max(f32, threads * 1.0 * PAIRS * 2 * loopsPerSecond(threads, IntegerBench::floatLoop));
            }
        }
        System.out.printf(Locale.ROOT, "float32 FMA peak (register-resident chains): %.1f G multiply-adds/s%n", peak / 1e9);
        System.out.printf(Locale.ROOT, "float32 tiled matmul 512x512, T=256, in cache (MatMul, the pre-fill kernel): %.1f G multiply-adds/s (%.0f%% of the peak)%n",
                tiled / 1e9, 100 * tiled / peak);
        System.out.printf(Locale.ROOT, "int16 pairwise multiply-add loop (C2: vpmaddwd / vpdpwssd), in L1: %.1f G multiply-adds/s (%.2fx the float32 peak, %.2fx the tiled matmul)%n",
                int16 / 1e9, int16 / peak, int16 / tiled);
        System.out.printf(Locale.ROOT, "float32 multiply-add loop of the same shape, in L1: %.1f G multiply-adds/s (the int16 loop is %.2fx it)%n", f32 / 1e9, int16 / f32);
        System.out.println(int16 > tiled
                ? "verdict: the int16 loop beats the tiled float32 matmul here: an integer pre-fill could be faster"
                : String.format(Locale.ROOT, "verdict: no integer path beats the float32 pre-fill from Java here: the int16 loop's accumulators go through memory, "
                        + "so it reaches %.0f%% of what the register-tiled float32 kernel does", 100 * int16 / tiled));
        return 0;
    }

    /** Multiply-adds per second of one call repeated (on all the engine's threads) for about a second. */
    private static double perSecond(Runnable call, long multiplyAdds) {
        for (int i = 0; i < 20; i++) call.run();
        long calls = 0, t0 = System.nanoTime(), now;
        do {
            call.run();
            calls++;
            now = System.nanoTime();
        } while (now - t0 < 1_000_000_000L);
        return calls * multiplyAdds / ((now - t0) / 1e9);
    }

    /** Loops per second per thread, every thread running its own arrays. */
    private static double loopsPerSecond(int threads, java.util.function.IntUnaryOperator loops) {
        for (int i = 0; i < 3; i++) loops.applyAsInt(20_000); // compiled before timing
        final int n = 400_000;
        double seconds = MachineLimits.timeParallel(threads, id -> {
            sink += loops.applyAsInt(n);
            return 0;
        });
        return n / seconds;
    }

    private static int int16Loop(int times) {
        short[] a = new short[2 * PAIRS], b = new short[2 * PAIRS];
        int[] out = new int[PAIRS];
        for (int i = 0; i < a.length; i++) {
            a[i] = (short) (i % 255 - 127);
            b[i] = (short) (i % 251 - 125);
        }
        for (int r = 0; r < times; r++) madd(a, b, out);
        return out[times % PAIRS];
    }

    /** The shape C2 compiles to a pairwise short multiply-add (MulAddS2I, then MulAddVS2VI). */
    private static void madd(short[] a, short[] b, int[] out) {
        for (int i = 0; i < PAIRS; i++) out[i] += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
    }

    private static int floatLoop(int times) {
        float[] a = new float[2 * PAIRS], b = new float[2 * PAIRS], out = new float[2 * PAIRS];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 255 - 127) * 1e-3f;
            b[i] = (i % 251 - 125) * 1e-3f;
        }
        for (int r = 0; r < times; r++) fmaLoop(a, b, out);
        return (int) out[times % PAIRS];
    }

    private static void fmaLoop(float[] a, float[] b, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] += a[i] * b[i];
    }
}
