package dev.goldfinch.engine.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The engine's worker threads. Work is split into contiguous index ranges; small jobs run on the calling
 * thread because forking costs more than it saves below a few hundred thousand flops.
 */
public final class Parallel {

    /** A body that processes indices [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    private Parallel() {
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /** Sets the number of worker threads (the app's "threads" setting; benchmarks compare 1 and all). */
    public static synchronized void setThreads(int n) {
        int want = Math.max(1, n);
        if (want == pool.getParallelism()) return;
        ForkJoinPool old = pool;
        pool = new ForkJoinPool(want);
        old.shutdown();
    }

    /**
     * Runs body over [0, n) split into about threads × 4 pieces of at least minGrain indices each.
     * Runs inline when only one piece would result.
     */
    public static void forRange(int n, int minGrain, RangeBody body) {
        int threads = pool.getParallelism();
        int pieces = Math.min(threads * 4, Math.max(1, n / Math.max(1, minGrain)));
        if (pieces <= 1 || threads == 1) {
            body.run(0, n);
            return;
        }
        int grain = (n + pieces - 1) / pieces;
        pool.invoke(new Split(body, 0, n, grain));
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int from, to, grain;

        Split(RangeBody body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = from + (to - from) / 2;
            invokeAll(new Split(body, from, mid, grain), new Split(body, mid, to, grain));
        }
    }
}
