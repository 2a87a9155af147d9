package dev.goldfinch.app.models;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * How fast this machine multiplies matrices, which decides how long a model takes to read a document
 * ({@link ReadingTime}): the peak of register-resident fused multiply-adds on all cores (the Vector API, as the
 * engine's kernels use it), times the share of it the engine's pre-fill reached when measured: 71–76% on an Intel
 * AVX2 machine, 56% on AVX-512, 56–75% on Zen 1 (README, Performance). Measured once per run, in under half a second,
 * then remembered.
 */
public final class MachineSpeed {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /**
     * Pre-fill's sustained rate over the FMA peak, as measured by the project's benchmarks: the middle of their range
     * (it was 0.75 while the probe read a third low on Zen 1, which made that machine's share look higher).
     */
    static final double PREFILL_SHARE = 0.65;

    private static volatile double measured;
    private static volatile float sink;

    private MachineSpeed() {
    }

    /** The FLOP/s the engine's pre-fill sustains on this machine (estimated from a short FMA probe; cached). */
    public static double prefillFlops() {
        double m = measured;
        if (m > 0) return m;
        synchronized (MachineSpeed.class) {
            if (measured <= 0) measured = PREFILL_SHARE * fmaPeak(Runtime.getRuntime().availableProcessors(), 4_000_000, 3) * 1e9;
            return measured;
        }
    }

    /**
     * GFLOP/s of independent register-resident FMA chains (2 flops per lane per FMA) on {@code threads} threads, each
     * running {@code iterations} rounds; the best of {@code runs}.
     */
    public static double fmaPeak(int threads, long iterations, int runs) {
        // compile first: many short calls get the loop compiled fully in a fraction of the time one long call takes
        for (int w = 0; w < 200; w++) fmaLoop(2_000);
        double best = 0;
        for (int r = 0; r < runs; r++) {
            double seconds = timeParallel(threads, id -> sink += fmaLoop(iterations));
            best = Math.max(best, threads * iterations * CHAINS * F.length() * 2.0 / seconds / 1e9);
        }
        return best;
    }

    private static final int CHAINS = 12;

    /**
     * Twelve independent accumulators: more than the FMA latency times the pipes, few enough to stay in 16 registers (AVX2).
     * Each is the addend, a = m·c + a, as in the matmul kernels. The other form, a = a·m + c, measured a third lower on
     * Zen 1 (26.6 against 39.6 GFLOP/s on one core), below what the pre-fill itself then sustained.
     */
    private static float fmaLoop(long iterations) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f), c = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = FloatVector.broadcast(F, 2f), a2 = FloatVector.broadcast(F, 3f),
                a3 = FloatVector.broadcast(F, 4f), a4 = FloatVector.broadcast(F, 5f), a5 = FloatVector.broadcast(F, 6f),
                a6 = FloatVector.broadcast(F, 7f), a7 = FloatVector.broadcast(F, 8f), a8 = FloatVector.broadcast(F, 9f),
                a9 = FloatVector.broadcast(F, 10f), a10 = FloatVector.broadcast(F, 11f), a11 = FloatVector.broadcast(F, 12f);
        for (long i = 0; i < iterations; i++) {
            a0 = m.fma(c, a0);
            a1 = m.fma(c, a1);
            a2 = m.fma(c, a2);
            a3 = m.fma(c, a3);
            a4 = m.fma(c, a4);
            a5 = m.fma(c, a5);
            a6 = m.fma(c, a6);
            a7 = m.fma(c, a7);
            a8 = m.fma(c, a8);
            a9 = m.fma(c, a9);
            a10 = m.fma(c, a10);
            a11 = m.fma(c, a11);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(VectorOperators.ADD);
    }

    /** Runs body(0 … threads−1) on that many platform threads started together; seconds from start to the last finish. */
    public static double timeParallel(int threads, java.util.function.IntConsumer body) {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                await(start);
                body.accept(id);
            }, "probe-" + t);
            th.setDaemon(true);
            th.start();
            ts.add(th);
        }
        await(start);
        long t0 = System.nanoTime();
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
