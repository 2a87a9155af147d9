package dev.goldfinch.ingest.pdf;

import java.io.IOException;
import java.io.Writer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

import dev.goldfinch.ingest.TextNormalizer;

/**
 * Where a passage of a document's text was drawn on its PDF page: one box per line of it, in points from the top-left
 * corner of the page as shown (its crop box), to highlight the passage on the rendered page.
 *
 * <p>The stored text is not the page's raw text: lines are joined, a hyphen at a line end goes with its word
 * ({@link LineJoins}), ligatures are split, accents are put on their letters ({@link Marks}), running headers are
 * left out and columns are read one after the other. So both sides are compared by their letters and digits only,
 * each decomposed (NFKD: "ﬁ" is "fi", "é" is "e") and in lower case, and line by line: the passage starts inside
 * one drawn line and goes on through whole lines, each next one the line drawn after it when that goes on with the
 * passage, else the nearest line below that does (the next line of its column, wherever the page draws it). A
 * passage that goes on past the page (onto the next one) is found by its longest beginning on it.
 */
public final class PageWords {
    /** A passage not found whole must have at least this many letters and digits on the page: fewer hit by chance. */
    private static final int MIN_PART = 12;

    /** A line's part of the passage: left, top, right and bottom, in points from the top-left corner of the shown page. */
    public record Box(float left, float top, float right, float bottom) {
        public float width() {
            return right - left;
        }

        public float height() {
            return bottom - top;
        }
    }

    /** One drawn glyph: its text and its box on the shown page. */
    private record Glyph(String text, float left, float right, float base, float top, float bottom) {
        float size() {
            return bottom - top;
        }
    }

    /** A drawn line: its glyphs, and their letters and digits, each with the index of the glyph it came from. */
    private record DrawnLine(List<Glyph> glyphs, String key, int[] glyphOf) {
        float base() {
            return glyphs.getFirst().base;
        }

        float left() {
            return glyphs.getFirst().left;
        }

        /** The box of the glyphs behind key letters [from, to). */
        Box box(int from, int to) {
            float left = Float.MAX_VALUE, top = Float.MAX_VALUE, right = -Float.MAX_VALUE, bottom = -Float.MAX_VALUE;
            for (int g = glyphOf[from]; g <= glyphOf[to - 1]; g++) {
                Glyph x = glyphs.get(g);
                left = Math.min(left, x.left);
                top = Math.min(top, x.top);
                right = Math.max(right, x.right);
                bottom = Math.max(bottom, x.bottom);
            }
            return new Box(left, top, right, bottom);
        }
    }

    /** A passage's course through the lines: the boxes and how many of its letters they hold. */
    private record Match(List<Box> boxes, int letters) {
    }

    private final List<DrawnLine> lines;

    private PageWords(List<DrawnLine> lines) {
        this.lines = lines;
    }

    /** The glyphs of page {@code pageIndex} (from 0) of an open document. */
    public static PageWords of(PDDocument doc, int pageIndex) throws IOException {
        Collector c = new Collector();
        c.setStartPage(pageIndex + 1);
        c.setEndPage(pageIndex + 1);
        c.setSortByPosition(false);
        c.writeText(doc, Writer.nullWriter());
        return new PageWords(lines(c.glyphs));
    }

    /** The boxes of the passage's lines on this page, in its order; empty when the page does not hold it. */
    public List<Box> boxesOf(String passage) {
        String want = key(passage);
        if (want.isEmpty()) return List.of();
        Match best = null;
        for (int i = 0; i < lines.size(); i++) {
            String k = lines.get(i).key;
            int inside = k.indexOf(want);
            if (inside >= 0) return List.of(lines.get(i).box(inside, inside + want.length()));
            // the passage starts in line i: a tail of the line is its beginning (the longest such tail)
            for (int p = 0; p < k.length(); p++) {
                if (want.startsWith(k.substring(p))) {
                    Match m = onFrom(i, p, want);
                    if (best == null || m.letters > best.letters) best = m;
                    break;
                }
            }
        }
        return best == null || best.letters < Math.min(MIN_PART, want.length()) ? List.of() : best.boxes;
    }

    /** The passage from letter {@code p} of line {@code first} on, through the lines that go on with it. */
    private Match onFrom(int first, int p, String want) {
        List<Box> boxes = new ArrayList<>();
        DrawnLine line = lines.get(first);
        boxes.add(line.box(p, line.key.length()));
        int done = line.key.length() - p;
        boolean[] used = new boolean[lines.size()];
        used[first] = true;
        int at = first;
        while (done < want.length()) {
            String rest = want.substring(done);
            int next = nextLine(at, rest, used);
            if (next < 0) break;
            DrawnLine n = lines.get(next);
            int take = Math.min(n.key.length(), rest.length());
            boxes.add(n.box(0, take));
            done += take;
            used[next] = true;
            at = next;
        }
        return new Match(boxes, done);
    }

    /** The line that goes on with {@code rest} after line {@code at}: the one drawn next, else the nearest below. */
    private int nextLine(int at, String rest, boolean[] used) {
        if (at + 1 < lines.size() && !used[at + 1] && goesOn(lines.get(at + 1).key, rest)) return at + 1;
        DrawnLine from = lines.get(at);
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int j = 0; j < lines.size(); j++) {
            DrawnLine l = lines.get(j);
            if (used[j] || !goesOn(l.key, rest)) continue;
            double down = l.base() - from.base();
            double distance = (down > 0 ? down : 10_000 - down) + Math.abs(l.left() - from.left());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = j;
            }
        }
        return best;
    }

    private static boolean goesOn(String lineKey, String rest) {
        return !lineKey.isEmpty() && (rest.startsWith(lineKey) || lineKey.startsWith(rest));
    }

    /** The glyphs in drawn order cut into lines: a new line where the baseline moves, x goes back or a wide gap opens. */
    private static List<DrawnLine> lines(List<Glyph> glyphs) {
        List<DrawnLine> out = new ArrayList<>();
        List<Glyph> cur = new ArrayList<>();
        for (Glyph g : glyphs) {
            if (!cur.isEmpty()) {
                Glyph last = cur.getLast();
                float size = Math.max(1f, last.size());
                boolean sameLine = Math.abs(g.base - last.base) < 0.5f * size && g.left > last.left - 0.2f * size
                        && g.left - last.right < 2f * size;
                if (!sameLine) {
                    out.add(line(cur));
                    cur = new ArrayList<>();
                }
            }
            cur.add(g);
        }
        if (!cur.isEmpty()) out.add(line(cur));
        return out;
    }

    private static DrawnLine line(List<Glyph> glyphs) {
        StringBuilder key = new StringBuilder();
        List<Integer> of = new ArrayList<>();
        for (int g = 0; g < glyphs.size(); g++) {
            String k = key(glyphs.get(g).text);
            for (int j = 0; j < k.length(); j++) {
                of.add(g);
                key.append(k.charAt(j));
            }
        }
        return new DrawnLine(List.copyOf(glyphs), key.toString(), of.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The letters and digits of a text, decomposed and in lower case (the marks of accents dropped). */
    private static String key(String text) {
        String d = Normalizer.normalize(TextNormalizer.normalize(text), Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(d.length());
        d.codePoints().filter(Character::isLetterOrDigit).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /** Records every glyph of the page with its box, in the order drawn (PDFTextStripper's own line making unused). */
    private static final class Collector extends PDFTextStripper {
        final List<Glyph> glyphs = new ArrayList<>();

        @Override
        protected void processTextPosition(TextPosition t) {
            String u = t.getUnicode();
            if (u == null || u.isBlank()) return;
            float size = Math.abs(t.getYScale());
            if (!(size > 0) || Float.isInfinite(size)) size = t.getFontSizeInPt() > 0 ? t.getFontSizeInPt() : Math.max(1f, t.getHeight());
            float ascent = 0.8f, descent = 0.2f;
            PDFont font = t.getFont();
            PDFontDescriptor fd = font == null ? null : font.getFontDescriptor();
            if (fd != null && fd.getAscent() > 0) {
                ascent = Math.min(1.2f, fd.getAscent() / 1000f);
                descent = Math.min(0.5f, Math.abs(fd.getDescent()) / 1000f);
            }
            // getX/getY: the glyph on the page as shown (rotation applied), y of the baseline from the top
            float x = t.getX(), base = t.getY();
            glyphs.add(new Glyph(u, x, x + Math.max(0f, t.getWidth()), base, base - ascent * size, base + descent * size));
        }
    }
}
