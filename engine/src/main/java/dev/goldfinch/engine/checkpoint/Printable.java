package dev.goldfinch.engine.checkpoint;

/** Text taken from a file (entry names, pickle strings) made safe for a one-line error message. */
public final class Printable {
    private static final int MAX = 120;

    private Printable() {}

    public static String of(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(MAX).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return s.codePointCount(0, s.length()) > MAX ? b + "…" : b.toString();
    }
}
