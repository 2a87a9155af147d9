package dev.goldfinch.engine.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's worker threads. Work is split into contiguous index ranges; small jobs run on the calling thread
 * because handing them out costs more than it saves.
 *
 * <p>Decoding one token makes a few hundred short parallel calls (one per matrix), each a fraction of a
 * millisecond, back to back. So the calling thread takes pieces itself (a team of N threads is the caller plus N−1
 * workers), pieces are claimed from a shared counter (a core slowed by other work simply takes fewer), and a worker
 * that has just finished a job spins briefly for the next one before it parks: waking a parked thread costs tens of
 * microseconds, which the previous fork/join pool paid on every call.
 *
 * <p>A call made while the team is busy (from inside a parallel body, or from a second thread) runs on its caller.
 */
public final class Parallel {

    /** A body that processes indices [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** How long an idle worker polls for the next job before it parks. */
    private static final long SPIN_NANOS = 200_000;

    private static volatile Team team = new Team(Runtime.getRuntime().availableProcessors());

    private Parallel() {
    }

    public static int threads() {
        return team.size;
    }

    /**
     * The most threads a team may have. More than the cores only slows the work down (each worker spins for the
     * next job before it parks), and every thread costs a stack: 100 000 of them exhaust the system.
     */
    public static int maxThreads() {
        return Math.max(64, 4 * Runtime.getRuntime().availableProcessors());
    }

    /** Null if {@code n} is a number of threads a team may have, else what is wrong with it ("must be …, not 0"). */
    public static String threadsProblem(int n) {
        int max = maxThreads();
        return n >= 1 && n <= max ? null : "must be between 1 and " + max + " (4 per core, at least 64), not " + n;
    }

    /** Sets the number of threads, the caller included (the app's "threads" setting; benchmarks compare 1 and all). */
    public static synchronized void setThreads(int n) {
        String problem = threadsProblem(n);
        if (problem != null) throw new IllegalArgumentException("the number of threads " + problem);
        if (n == team.size) return;
        Team old = team;
        team = new Team(n);
        old.shutdown();
    }

    /**
     * Runs body over [0, n) split into about threads × 4 pieces of at least minGrain indices each.
     * Runs inline when only one piece would result.
     */
    public static void forRange(int n, int minGrain, RangeBody body) {
        Team t = team;
        int pieces = Math.min(t.size * 4, Math.max(1, n / Math.max(1, minGrain)));
        if (pieces <= 1 || t.size == 1 || !t.busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            t.run(new Job(n, pieces, body));
        } finally {
            t.busy.set(false);
        }
    }

    /** One call's pieces: claimed through {@code next}, counted down through {@code remaining}. */
    private static final class Job {
        final int n, pieces;
        final RangeBody body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        volatile Throwable failure;

        Job(int n, int pieces, RangeBody body) {
            this.n = n;
            this.pieces = pieces;
            this.body = body;
            this.remaining = new AtomicInteger(pieces);
        }

        /** Claims and runs pieces until none is left. */
        void work() {
            for (int p; (p = next.getAndIncrement()) < pieces; ) {
                try {
                    if (failure == null) body.run((int) ((long) n * p / pieces), (int) ((long) n * (p + 1) / pieces));
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    remaining.decrementAndGet();
                }
            }
        }
    }

    private static final class Team {
        final int size;
        final AtomicBoolean busy = new AtomicBoolean();
        final Thread[] workers;
        volatile Job current;
        volatile boolean stopped;

        Team(int size) {
            this.size = size;
            workers = new Thread[size - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Thread(this::workerLoop, "goldfinch-worker-" + (i + 1));
                workers[i].setDaemon(true);
                workers[i].start();
            }
        }

        void run(Job job) {
            current = job;
            for (Thread w : workers) LockSupport.unpark(w);
            job.work();
            // The last pieces may still be running on workers: they are short, so wait actively, then politely.
            for (int spins = 0; job.remaining.get() > 0; spins++) {
                if (spins < 20_000) Thread.onSpinWait();
                else LockSupport.parkNanos(10_000);
            }
            current = null;
            Throwable e = job.failure;
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error er) throw er;
            if (e != null) throw new IllegalStateException(e);
        }

        private void workerLoop() {
            Job seen = null;
            while (!stopped) {
                Job j = current;
                if (j != null && j != seen) {
                    seen = j;
                    j.work();
                    continue;
                }
                long deadline = System.nanoTime() + SPIN_NANOS;
                while ((j = current) == null || j == seen) {
                    if (stopped) return;
                    if (System.nanoTime() < deadline) Thread.onSpinWait();
                    else LockSupport.park(this);
                }
            }
        }

        void shutdown() {
            stopped = true;
            for (Thread w : workers) LockSupport.unpark(w);
        }
    }
}
