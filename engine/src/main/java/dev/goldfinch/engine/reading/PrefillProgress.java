package dev.goldfinch.engine.reading;

/** Where a pre-fill is: tokens done of total, speed over this run, and the estimated time left. */
public record PrefillProgress(int done, int total, double tokensPerSecond, double secondsLeft) {

    public double fraction() {
        return total == 0 ? 1 : (double) done / total;
    }

    /** Receives progress after every chunk. */
    @FunctionalInterface
    public interface Listener {
        void onProgress(PrefillProgress progress);
    }
}
