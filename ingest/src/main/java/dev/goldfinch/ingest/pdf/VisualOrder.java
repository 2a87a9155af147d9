package dev.goldfinch.ingest.pdf;

import java.text.Bidi;
import java.util.List;
import java.util.Map;

/**
 * Turns a line read left to right off the page (visual order) into the order it is read in (logical order), for
 * lines with right-to-left text (Arabic, Hebrew). A PDF has no reading order of its own: its glyphs are placed, so a
 * line sorted by position is visual, and PDFTextStripper reverses only within each word, leaving the words of a
 * right-to-left line last to first.
 *
 * <p>The Unicode bidi algorithm (java.text.Bidi), run on the visual line with the line's main direction (whichever
 * of left-to-right and right-to-left letters it has more of), gives each piece an embedding level; reversing the
 * runs by level, as for display, undoes the display reordering: a right-to-left line comes out last glyph first,
 * with the numbers and Latin words in it kept left to right. The pieces are whole glyph clusters (a letter with its
 * marks, a ligature), so marks stay after their letter. Brackets in right-to-left runs were drawn mirrored and are
 * mirrored back.
 */
final class VisualOrder {
    private static final Map<Integer, Integer> MIRROR = Map.ofEntries(
            Map.entry((int) '(', (int) ')'), Map.entry((int) ')', (int) '('),
            Map.entry((int) '[', (int) ']'), Map.entry((int) ']', (int) '['),
            Map.entry((int) '{', (int) '}'), Map.entry((int) '}', (int) '{'),
            Map.entry((int) '<', (int) '>'), Map.entry((int) '>', (int) '<'),
            Map.entry(0x00AB, 0x00BB), Map.entry(0x00BB, 0x00AB),
            Map.entry(0x2039, 0x203A), Map.entry(0x203A, 0x2039),
            Map.entry(0x2264, 0x2265), Map.entry(0x2265, 0x2264));

    private VisualOrder() {
    }

    /** The pieces of a line in visual order (as from {@link WordGaps#split}), joined in logical order. */
    static String logical(List<String> pieces) {
        StringBuilder visual = new StringBuilder();
        for (String p : pieces) {
            visual.append(p);
        }
        String line = visual.toString();
        if (!Bidi.requiresBidi(line.toCharArray(), 0, line.length())) {
            return line;
        }
        int ltr = 0;
        int rtl = 0;
        for (int i = 0; i < line.length(); ) {
            int c = line.codePointAt(i);
            byte d = Character.getDirectionality(c);
            if (d == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
                ltr++;
            } else if (d == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
                rtl++;
            }
            i += Character.charCount(c);
        }
        Bidi bidi = new Bidi(line, rtl > ltr ? Bidi.DIRECTION_RIGHT_TO_LEFT : Bidi.DIRECTION_LEFT_TO_RIGHT);
        int n = pieces.size();
        byte[] levels = new byte[n];
        Integer[] order = new Integer[n];
        int at = 0;
        for (int k = 0; k < n; k++) {
            levels[k] = (byte) bidi.getLevelAt(at);
            order[k] = k;
            at += pieces.get(k).length();
        }
        Bidi.reorderVisually(levels, 0, order, 0, n);
        StringBuilder out = new StringBuilder(line.length());
        for (Integer k : order) {
            String p = pieces.get(k);
            if ((levels[k] & 1) == 1) {
                p.codePoints().forEach(c -> out.appendCodePoint(MIRROR.getOrDefault(c, c)));
            } else {
                out.append(p);
            }
        }
        return out.toString();
    }
}
