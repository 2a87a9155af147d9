package dev.goldfinch.ingest.pdf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops glyphs that draw again what is already on the page: the same text at nearly the same place, as a slide's
 * shadow copy (the title drawn twice, offset by a point or two), "poor man's bold" (drawn twice, a hair apart) or
 * an exact overdraw. Without this the two copies merge into one line with their letters interleaved
 * ("HHeelllloo").
 *
 * <p>A glyph is a copy of an earlier one with the same text and size when it overlaps it: less than
 * {@value #NEAR_EM} em apart across (or 40% of the glyph's width, for wide glyphs) and less than
 * {@value #BASE_EM} em apart up or down. Two real letters in a row ("ll") are a whole advance apart, so they stay.
 * A shadow offset by more than that is still caught glyph by glyph: once a copy is found, the following glyphs
 * that sit at the same offset from an earlier glyph are copies too, until one is not (a narrow "l" in a shadowed
 * title is further from its twin than its own width, but at the same offset as the "H" before it). The first copy
 * drawn is kept.
 */
final class Overprint {
    static final float NEAR_EM = 0.12f;
    static final float BASE_EM = 0.2f;
    /** How far an offset may drift along a shadowed run and still be the same offset. */
    private static final float SAME_OFFSET_EM = 0.05f;
    /** The widest offset a run of copies may have. */
    private static final float MAX_OFFSET_EM = 0.6f;
    /** Grid cell, in points: a glyph's twins are looked for in its cell and the eight around it. */
    private static final float CELL = 16f;

    private Overprint() {
    }

    private record Cell(String text, int cx, int cy) {
    }

    /** The glyphs (in the order they were drawn) without the copies. */
    static List<PdfGlyph> keep(List<PdfGlyph> drawn) {
        Map<Cell, List<PdfGlyph>> grid = new HashMap<>();
        List<PdfGlyph> kept = new ArrayList<>(drawn.size());
        float runDx = Float.NaN;
        float runDy = Float.NaN;
        for (PdfGlyph g : drawn) {
            float em = Math.max(1f, g.size());
            int cx = (int) Math.floor(g.x() / CELL);
            int cy = (int) Math.floor(g.base() / CELL);
            PdfGlyph twin = null;
            PdfGlyph runTwin = null;
            float best = Float.MAX_VALUE;
            for (int i = -1; i <= 1; i++) {
                for (int j = -1; j <= 1; j++) {
                    List<PdfGlyph> near = grid.get(new Cell(g.text(), cx + i, cy + j));
                    if (near == null) {
                        continue;
                    }
                    for (PdfGlyph k : near) {
                        if (Math.abs(k.size() - g.size()) > 0.1f * Math.max(k.size(), g.size())) {
                            continue;
                        }
                        float dx = g.x() - k.x();
                        float dy = g.base() - k.base();
                        if (!Float.isNaN(runDx) && Math.abs(dx - runDx) <= SAME_OFFSET_EM * em
                                && Math.abs(dy - runDy) <= SAME_OFFSET_EM * em) {
                            runTwin = k;
                        }
                        float across = Math.max(NEAR_EM * em, 0.4f * Math.max(g.width(), k.width()));
                        float d = Math.abs(dx) + Math.abs(dy);
                        if (Math.abs(dx) <= across && Math.abs(dy) <= BASE_EM * em && d < best) {
                            best = d;
                            twin = k;
                        }
                    }
                }
            }
            PdfGlyph copyOf = runTwin != null ? runTwin : twin;
            if (copyOf != null) {
                runDx = g.x() - copyOf.x();
                runDy = g.base() - copyOf.base();
                if (Math.abs(runDx) > MAX_OFFSET_EM * em || Math.abs(runDy) > MAX_OFFSET_EM * em) {
                    runDx = Float.NaN;
                    runDy = Float.NaN;
                }
                continue;
            }
            runDx = Float.NaN;
            runDy = Float.NaN;
            kept.add(g);
            grid.computeIfAbsent(new Cell(g.text(), cx, cy), c -> new ArrayList<>()).add(g);
        }
        return kept;
    }
}
