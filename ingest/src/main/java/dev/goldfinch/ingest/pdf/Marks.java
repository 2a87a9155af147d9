package dev.goldfinch.ingest.pdf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.goldfinch.ingest.TextNormalizer;

/**
 * Puts each accent drawn as a glyph of its own after the letter it is drawn over, so that NFC (in
 * {@link TextNormalizer}) composes the two: TeX draws "ï" as a dotless ı with a dieresis over it, word processors
 * draw a combining mark with no advance after its letter, and some producers draw all the accents of a line after
 * its letters. Sorted by position, such an accent lands before its letter or on the letter next to it ("na¨ive").
 *
 * <p>A combining mark (Unicode Mn or Me) always belongs to a letter: the one under its middle, or for a mark drawn
 * without advancing, the one its origin ends (it is drawn back over the glyph before it); failing both, the
 * nearest. A spacing accent (´ ¨ ` ^ ~ and the like) is taken for a mark only when its middle lies over a letter;
 * one standing on its own ("x^2", "~/notes") stays as it is. A dotless ı or ȷ under a mark above becomes i or j,
 * as TeX meant it.
 */
final class Marks {
    /** Spacing accents and the combining marks they stand for. */
    private static final Map<Integer, Integer> SPACING = Map.ofEntries(
            Map.entry(0x0060, 0x0300), Map.entry(0x00B4, 0x0301), Map.entry(0x005E, 0x0302),
            Map.entry(0x02C6, 0x0302), Map.entry(0x007E, 0x0303), Map.entry(0x02DC, 0x0303),
            Map.entry(0x00AF, 0x0304), Map.entry(0x02C9, 0x0304), Map.entry(0x02D8, 0x0306),
            Map.entry(0x02D9, 0x0307), Map.entry(0x00A8, 0x0308), Map.entry(0x02DA, 0x030A),
            Map.entry(0x02DD, 0x030B), Map.entry(0x02C7, 0x030C), Map.entry(0x00B8, 0x0327),
            Map.entry(0x02DB, 0x0328));
    /** A glyph narrower than this (in em) is drawn without advancing. */
    private static final float ZERO_WIDTH_EM = 0.05f;

    private Marks() {
    }

    /**
     * The line's glyphs, left to right, with each mark joined to the text of its letter (after it) and no longer a
     * glyph of its own.
     */
    static List<PdfGlyph> attach(List<PdfGlyph> line) {
        int n = line.size();
        int[] baseOf = new int[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            baseOf[i] = -1;
            PdfGlyph g = line.get(i);
            int mark = markOf(g.text());
            if (mark < 0) {
                continue;
            }
            baseOf[i] = baseFor(line, i, isCombining(mark));
            any |= baseOf[i] >= 0;
        }
        if (!any) {
            return line;
        }
        StringBuilder[] texts = new StringBuilder[n];
        for (int i = 0; i < n; i++) {
            if (baseOf[i] >= 0) {
                int b = baseOf[i];
                if (texts[b] == null) {
                    texts[b] = new StringBuilder(line.get(b).text());
                }
                appendMark(texts[b], markOf(line.get(i).text()));
            }
        }
        List<PdfGlyph> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (baseOf[i] >= 0) {
                continue;
            }
            out.add(texts[i] == null ? line.get(i) : line.get(i).withText(texts[i].toString()));
        }
        return out;
    }

    /** The code point if {@code text} is one mark or spacing accent, else -1. */
    private static int markOf(String text) {
        if (text.isEmpty() || text.codePointCount(0, text.length()) != 1) {
            return -1;
        }
        int c = text.codePointAt(0);
        return isCombining(c) || SPACING.containsKey(c) ? c : -1;
    }

    private static boolean isCombining(int c) {
        int t = Character.getType(c);
        return t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK;
    }

    private static boolean isBase(PdfGlyph g) {
        return !g.isSpace() && markOf(g.text()) < 0;
    }

    /** The index of the letter the mark at {@code m} is drawn over, or -1. */
    private static int baseFor(List<PdfGlyph> line, int m, boolean combining) {
        PdfGlyph mark = line.get(m);
        boolean zeroWidth = mark.width() < ZERO_WIDTH_EM * mark.size();
        float at = zeroWidth ? mark.x() : mark.x() + mark.width() / 2;
        float tol = 0.02f * mark.size();
        int best = -1;
        float bestDistance = Float.MAX_VALUE;
        int nearest = -1;
        float nearestDistance = Float.MAX_VALUE;
        for (int i = 0; i < line.size(); i++) {
            PdfGlyph b = line.get(i);
            if (i == m || !isBase(b) || Math.abs(b.base() - mark.base()) > b.size()) {
                continue;
            }
            float middle = b.x() + b.width() / 2;
            float distance = Math.abs(middle - at);
            boolean over = zeroWidth ? at > b.x() + tol && at <= b.end() + tol
                    : at >= b.x() - tol && at <= b.end() + tol;
            if (over && distance < bestDistance) {
                best = i;
                bestDistance = distance;
            }
            if (distance < nearestDistance) {
                nearest = i;
                nearestDistance = distance;
            }
        }
        if (best >= 0) {
            return best;
        }
        return combining && nearestDistance <= mark.size() ? nearest : -1;
    }

    private static void appendMark(StringBuilder base, int mark) {
        int combining = SPACING.getOrDefault(mark, mark);
        // TeX's \"\i and \'\j: the dot of i and j gives way to the accent
        boolean above = combining >= 0x0300 && combining <= 0x0314;
        if (above && base.length() == 1 && (base.charAt(0) == '\u0131' || base.charAt(0) == '\u0237')) {
            base.setCharAt(0, base.charAt(0) == '\u0131' ? 'i' : 'j');
        }
        base.appendCodePoint(combining);
    }
}
