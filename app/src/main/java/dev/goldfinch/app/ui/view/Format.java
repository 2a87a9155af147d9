package dev.goldfinch.app.ui.view;

import java.util.Locale;

/** Numbers as people read them. */
public final class Format {
    private Format() {
    }

    public static String bytes(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MB", b / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GB", b / (1024.0 * 1024 * 1024));
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String plural(long n, String one, String many) {
        return count(n) + " " + (n == 1 ? one : many);
    }

    /** "2 min 05 s", "45 s", "1 h 03 min". */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < 0) return "–";
        if (seconds < 10) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        if (s < 60) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    public static String rate(double tokensPerSecond) {
        return tokensPerSecond >= 100 ? String.format(Locale.ROOT, "%,.0f tokens/s", tokensPerSecond)
                : String.format(Locale.ROOT, "%.1f tokens/s", tokensPerSecond);
    }
}
