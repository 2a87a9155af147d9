package dev.goldfinch.app.models;

import java.util.Locale;

/**
 * Where a download is: the file, the phase, bytes done of the total (-1 while unknown), the speed over the last few
 * seconds and the time left at that speed (NaN while unknown). Reported a few times a second from the downloading
 * thread; a UI hands it to its own thread.
 */
public record DownloadProgress(String file, Phase phase, long done, long total, double bytesPerSecond, double secondsLeft) {

    public enum Phase {
        /** Re-reading the bytes a paused download kept, to continue their checksum. */
        CHECKING,
        /** Asking the server (before the first byte arrives). */
        CONNECTING,
        DOWNLOADING,
        /** All bytes are there; the checksum and size are compared and the file moved into place. */
        VERIFYING,
        DONE
    }

    /** 0..1, or NaN while the total is unknown. */
    public double fraction() {
        return total > 0 ? Math.min(1.0, (double) done / total) : Double.NaN;
    }

    /** "1.2 GB of 3.2 GB (37%), 11.8 MB/s, 2 min 50 s left" — a status line for the phase. */
    public String describe() {
        return switch (phase) {
            case CHECKING -> String.format("%s: checking the %s already downloaded (%s)", file, bytes(total), percent());
            case CONNECTING -> file + ": connecting…";
            case VERIFYING -> file + ": verifying…";
            case DONE -> file + ": done, " + bytes(done);
            case DOWNLOADING -> {
                String rate = bytesPerSecond > 0 ? ", " + bytes((long) bytesPerSecond) + "/s" : "";
                String left = Double.isNaN(secondsLeft) || Double.isInfinite(secondsLeft) ? "" : ", " + duration(secondsLeft) + " left";
                yield total > 0 ? String.format("%s: %s of %s (%s)%s%s", file, bytes(done), bytes(total), percent(), rate, left)
                        : String.format("%s: %s%s", file, bytes(done), rate);
            }
        };
    }

    private String percent() {
        return total > 0 ? String.format("%.0f%%", 100 * fraction()) : "?";
    }

    /** Decimal units, as download sizes are usually given: 3.2 GB, 395 MB, 2.5 MB. */
    public static String bytes(long n) {
        if (n < 1_000) return n + " B";
        if (n < 1_000_000) return String.format(Locale.ROOT, n < 10_000 ? "%.1f kB" : "%.0f kB", n / 1e3);
        if (n < 1_000_000_000) return String.format(Locale.ROOT, n < 10_000_000 ? "%.1f MB" : "%.0f MB", n / 1e6);
        return String.format(Locale.ROOT, "%.1f GB", n / 1e9);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
