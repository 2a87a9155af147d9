package dev.goldfinch.engine.answer;

/**
 * Text cleaned as the RWKV-7 G1 authors advise for a System or User turn: {@code \r\n} becomes {@code \n}, every run
 * of two or more newlines becomes one, and the ends are stripped, so a blank line can only ever be the separator
 * between turns. Remembers where each cleaned character came from, so positions in the cleaned text (where a source
 * was found) map back to the original text (where the page map is).
 */
public final class CleanedText {
    private final String text;
    /** origin[i]: index in the original text of cleaned character i; origin[length]: just past the last one kept. */
    private final int[] origin;

    private CleanedText(String text, int[] origin) {
        this.text = text;
        this.origin = origin;
    }

    /** The cleaned text of a turn. */
    public static String clean(String s) {
        return of(s).text();
    }

    public static CleanedText of(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int[] at = new int[s.length() + 1];
        int i = 0;
        while (i < s.length()) {
            int br = lineBreak(s, i);
            if (br == 0) {
                at[out.length()] = i;
                out.append(s.charAt(i++));
                continue;
            }
            // A run of line breaks (\n or \r\n) becomes one \n, which stands at the run's first break.
            at[out.length()] = i;
            out.append('\n');
            while (br > 0) {
                i += br;
                br = lineBreak(s, i);
            }
        }
        at[out.length()] = s.length();
        int from = 0, to = out.length();
        while (from < to && Character.isWhitespace(out.charAt(from))) from++;
        while (to > from && Character.isWhitespace(out.charAt(to - 1))) to--;
        int[] origin = new int[to - from + 1];
        System.arraycopy(at, from, origin, 0, to - from);
        origin[to - from] = at[to];
        return new CleanedText(out.substring(from, to), origin);
    }

    /** Length of the line break at i: 1 for \n, 2 for \r\n, 0 for anything else. */
    private static int lineBreak(String s, int i) {
        if (i >= s.length()) return 0;
        if (s.charAt(i) == '\n') return 1;
        return s.charAt(i) == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 0;
    }

    public String text() {
        return text;
    }

    /** The offset in the original text of cleaned offset {@code i} (0 ≤ i ≤ length). */
    public int originOf(int i) {
        return origin[i];
    }
}
