package dev.goldfinch.ingest.pdf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.text.TextPosition;

/**
 * Reading order for one PDF page: splits the page's glyphs into regions (columns, and full-width blocks above,
 * between and below them) and returns them in the order a person reads them.
 *
 * <p>Why not just PDFTextStripper's sort-by-position: it sorts glyphs top to bottom, then left to right, so on a
 * two-column page whose lines share baselines it reads across the gutter ("left line 1, right line 1, left line 2
 * ..."). Without sorting it follows the content stream, which is column by column only if the producer happened
 * to write it so. Here, glyphs are grouped into lines and lines into segments (split at gaps wider than about half
 * an em); then a recursive XY cut looks for a vertical gutter (a strip no segment crosses, with at least three lines
 * of substantial text on each side, each side at least a fifth of the block's width). Full-width lines that cross
 * the gutter (a title, an abstract, a figure caption) cut the block horizontally first. Each resulting region is
 * handed back to PDFTextStripper as an "article", so it still builds the lines (whose text {@link LineText} then
 * makes from their glyphs).
 *
 * <p>Known limits: tables with wide, well-filled columns may be read column by column; text in other directions
 * than the page's main one (a rotated margin note) goes last.
 */
final class PdfLayout {
    private static final float SEGMENT_GAP_EM = 0.55f;
    private static final int MIN_LINES_PER_SIDE = 3;
    private static final float MIN_SIDE_FRACTION = 0.2f;
    private static final float MIN_FILL = 0.5f;

    private PdfLayout() {
    }

    private record Glyph(TextPosition tp, float x0, float x1, float base, float size, boolean space) {
    }

    /** A run of glyphs on one line with no wide gap inside. */
    private static final class Segment {
        final int line;
        final List<Glyph> glyphs = new ArrayList<>();
        float x0 = Float.MAX_VALUE;
        float x1 = -Float.MAX_VALUE;

        Segment(int line) {
            this.line = line;
        }

        void add(Glyph g) {
            glyphs.add(g);
            if (!g.space) {
                x0 = Math.min(x0, g.x0);
                x1 = Math.max(x1, g.x1);
            }
        }

        boolean hasInk() {
            return x1 >= x0;
        }

        float width() {
            return x1 - x0;
        }
    }

    /** The page's glyphs, grouped into regions in reading order. */
    static List<List<TextPosition>> regions(List<TextPosition> positions) {
        if (positions.isEmpty()) {
            return List.of();
        }
        // lay out the page's main text direction; glyphs in other directions form one region at the end
        Map<Integer, Integer> byDir = new HashMap<>();
        for (TextPosition tp : positions) {
            byDir.merge((int) tp.getDir(), 1, Integer::sum);
        }
        int mainDir = byDir.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<Glyph> glyphs = new ArrayList<>(positions.size());
        List<TextPosition> other = new ArrayList<>();
        for (TextPosition tp : positions) {
            if ((int) tp.getDir() != mainDir) {
                other.add(tp);
                continue;
            }
            float size = tp.getFontSizeInPt();
            if (!(size > 0) || Float.isInfinite(size)) {
                size = Math.max(1f, tp.getHeightDir() * 1.4f);
            }
            String u = tp.getUnicode();
            boolean space = u == null || u.isBlank();
            glyphs.add(new Glyph(tp, tp.getXDirAdj(), tp.getXDirAdj() + Math.max(0f, tp.getWidthDirAdj()),
                    tp.getYDirAdj(), size, space));
        }
        List<Segment> segments = segments(glyphs);
        List<List<Segment>> leaves = new ArrayList<>();
        float em = medianSize(glyphs);
        cut(segments, em, leaves, 0);
        List<List<TextPosition>> out = new ArrayList<>(leaves.size() + 1);
        for (List<Segment> leaf : leaves) {
            List<TextPosition> region = new ArrayList<>();
            for (Segment s : leaf) {
                for (Glyph g : s.glyphs) {
                    region.add(g.tp);
                }
            }
            if (!region.isEmpty()) {
                out.add(region);
            }
        }
        if (!other.isEmpty()) {
            out.add(other);
        }
        return out;
    }

    private static float medianSize(List<Glyph> glyphs) {
        float[] sizes = new float[glyphs.size()];
        int n = 0;
        for (Glyph g : glyphs) {
            if (!g.space) {
                sizes[n++] = g.size;
            }
        }
        if (n == 0) {
            return 10f;
        }
        java.util.Arrays.sort(sizes, 0, n);
        return sizes[n / 2];
    }

    /** Groups glyphs into lines (by baseline) and lines into segments (split at wide gaps). */
    private static List<Segment> segments(List<Glyph> glyphs) {
        List<Glyph> sorted = new ArrayList<>(glyphs);
        sorted.sort(Comparator.comparingDouble((Glyph g) -> g.base).thenComparingDouble(g -> g.x0));
        List<Segment> out = new ArrayList<>();
        int line = 0;
        int i = 0;
        while (i < sorted.size()) {
            float base = sorted.get(i).base;
            float tol = Math.max(1f, 0.4f * sorted.get(i).size);
            int j = i;
            while (j < sorted.size() && sorted.get(j).base - base <= tol) {
                j++;
            }
            List<Glyph> lineGlyphs = new ArrayList<>(sorted.subList(i, j));
            lineGlyphs.sort(Comparator.comparingDouble(g -> g.x0));
            Segment seg = new Segment(line);
            float lastEnd = Float.NaN;
            for (Glyph g : lineGlyphs) {
                if (!g.space) {
                    if (!Float.isNaN(lastEnd) && g.x0 - lastEnd > SEGMENT_GAP_EM * g.size) {
                        out.add(seg);
                        seg = new Segment(line);
                    }
                    lastEnd = Float.isNaN(lastEnd) ? g.x1 : Math.max(lastEnd, g.x1);
                }
                seg.add(g);
            }
            out.add(seg);
            line++;
            i = j;
        }
        out.removeIf(s -> !s.hasInk() && s.glyphs.isEmpty());
        // attach ink-less segments (spaces only) to the previous segment of the same line
        List<Segment> merged = new ArrayList<>(out.size());
        for (Segment s : out) {
            if (!s.hasInk() && !merged.isEmpty() && merged.getLast().line == s.line) {
                merged.getLast().glyphs.addAll(s.glyphs);
            } else if (s.hasInk()) {
                merged.add(s);
            }
        }
        return merged;
    }

    private record Gutter(float x0, float x1) {
        float width() {
            return x1 - x0;
        }
    }

    /** Recursive XY cut: appends the leaf regions of {@code block} in reading order. */
    private static void cut(List<Segment> block, float em, List<List<Segment>> leaves, int depth) {
        if (block.size() < 2 * MIN_LINES_PER_SIDE || depth > 64) {
            leaves.add(block);
            return;
        }
        float bx0 = Float.MAX_VALUE;
        float bx1 = -Float.MAX_VALUE;
        for (Segment s : block) {
            bx0 = Math.min(bx0, s.x0);
            bx1 = Math.max(bx1, s.x1);
        }
        float blockWidth = bx1 - bx0;
        // 1. a clean gutter: split into left and right, read left first
        Gutter g = bestGutter(block, block, bx0, bx1, em);
        if (g != null) {
            List<Segment> left = new ArrayList<>();
            List<Segment> right = new ArrayList<>();
            for (Segment s : block) {
                (s.x1 <= g.x0 ? left : right).add(s);
            }
            cut(left, em, leaves, depth + 1);
            cut(right, em, leaves, depth + 1);
            return;
        }
        // 2. a gutter crossed only by a few wide lines (title, abstract, caption): cut across at those lines
        for (float t : new float[] {0.9f, 0.75f, 0.6f, 0.5f}) {
            List<Segment> narrow = new ArrayList<>();
            for (Segment s : block) {
                if (s.width() <= t * blockWidth) {
                    narrow.add(s);
                }
            }
            if (narrow.size() == block.size() || narrow.size() < 2 * MIN_LINES_PER_SIDE) {
                continue;
            }
            Gutter cand = bestGutter(narrow, narrow, bx0, bx1, em);
            if (cand == null) {
                continue;
            }
            // lines (not just segments) that cross the candidate gutter
            java.util.Set<Integer> crossingLines = new java.util.HashSet<>();
            for (Segment s : block) {
                if (s.x0 < cand.x1 && s.x1 > cand.x0) {
                    crossingLines.add(s.line);
                }
            }
            int left = 0;
            int right = 0;
            for (Segment s : narrow) {
                if (!crossingLines.contains(s.line)) {
                    if (s.x1 <= cand.x0) {
                        left++;
                    } else if (s.x0 >= cand.x1) {
                        right++;
                    }
                }
            }
            if (crossingLines.isEmpty() || crossingLines.size() > Math.min(left, right)) {
                continue;
            }
            List<Segment> ordered = new ArrayList<>(block);
            ordered.sort(Comparator.comparingInt((Segment s) -> s.line).thenComparingDouble(s -> s.x0));
            List<List<Segment>> bands = new ArrayList<>();
            List<Segment> band = new ArrayList<>();
            boolean bandCrossing = false;
            for (Segment s : ordered) {
                boolean crossing = crossingLines.contains(s.line);
                if (!band.isEmpty() && crossing != bandCrossing) {
                    bands.add(band);
                    band = new ArrayList<>();
                }
                bandCrossing = crossing;
                band.add(s);
            }
            bands.add(band);
            if (bands.size() < 2) {
                continue;
            }
            for (List<Segment> b : bands) {
                if (crossingLines.contains(b.getFirst().line)) {
                    leaves.add(b);
                } else {
                    cut(b, em, leaves, depth + 1);
                }
            }
            return;
        }
        leaves.add(block);
    }

    /**
     * The widest strip between bx0 and bx1 that no segment of {@code cover} crosses and that has text columns on
     * both sides (among {@code sides}), or null.
     */
    private static Gutter bestGutter(List<Segment> cover, List<Segment> sides, float bx0, float bx1, float em) {
        List<Segment> byX = new ArrayList<>(cover);
        byX.sort(Comparator.comparingDouble(s -> s.x0));
        List<Gutter> gaps = new ArrayList<>();
        float reach = byX.getFirst().x1;
        for (Segment s : byX) {
            if (s.x0 - reach >= 0.5f * em) {
                gaps.add(new Gutter(reach, s.x0));
            }
            reach = Math.max(reach, s.x1);
        }
        Gutter best = null;
        float blockWidth = bx1 - bx0;
        for (Gutter gap : gaps) {
            if (isColumnGutter(gap, sides, blockWidth) && (best == null || gap.width() > best.width())) {
                best = gap;
            }
        }
        return best;
    }

    private static boolean isColumnGutter(Gutter g, List<Segment> segs, float blockWidth) {
        float lx0 = Float.MAX_VALUE;
        float rx1 = -Float.MAX_VALUE;
        Map<Integer, float[]> leftLines = new HashMap<>();
        Map<Integer, float[]> rightLines = new HashMap<>();
        for (Segment s : segs) {
            if (s.x1 <= g.x0) {
                lx0 = Math.min(lx0, s.x0);
                leftLines.merge(s.line, new float[] {s.x0, s.x1},
                        (a, b) -> new float[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            } else if (s.x0 >= g.x1) {
                rx1 = Math.max(rx1, s.x1);
                rightLines.merge(s.line, new float[] {s.x0, s.x1},
                        (a, b) -> new float[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        if (leftLines.size() < MIN_LINES_PER_SIDE || rightLines.size() < MIN_LINES_PER_SIDE) {
            return false;
        }
        float leftWidth = g.x0 - lx0;
        float rightWidth = rx1 - g.x1;
        if (leftWidth < MIN_SIDE_FRACTION * blockWidth || rightWidth < MIN_SIDE_FRACTION * blockWidth) {
            return false;
        }
        return meanFill(leftLines, leftWidth) >= MIN_FILL && meanFill(rightLines, rightWidth) >= MIN_FILL;
    }

    private static float meanFill(Map<Integer, float[]> lines, float sideWidth) {
        double sum = 0;
        for (float[] r : lines.values()) {
            sum += Math.min(1f, (r[1] - r[0]) / sideWidth);
        }
        return (float) (sum / lines.size());
    }
}
