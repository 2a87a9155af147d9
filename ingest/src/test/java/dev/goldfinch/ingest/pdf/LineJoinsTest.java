package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Lines joined into a page's text, and words split by a line-end hyphen joined, within a page and across pages. */
class LineJoinsTest {
    @Test
    void hyphenJoin() {
        List<Line> lines = List.of(
                new Line("a long infor-", 0, 0, 10, false),
                new Line("mation here", 0, 12, 22, false),
                new Line("co\u00AD", 0, 24, 34, false),
                new Line("Operation", 0, 36, 46, false),
                new Line("ends with - dash", 0, 48, 58, false),
                new Line("next", 0, 60, 70, true));
        assertEquals("a long information\nhere\ncoOperation\nends with - dash\n\nnext", PdfExtractor.joinLines(lines));
    }

    @Test
    void hyphenJoinAcrossPages() {
        List<List<Line>> pages = new ArrayList<>();
        pages.add(new ArrayList<>(List.of(new Line("ends with infor-", 0, 700, 710, false))));
        pages.add(new ArrayList<>(List.of(new Line("mation", 0, 70, 80, false),
                new Line("Next line Co-", 0, 90, 100, false))));
        pages.add(new ArrayList<>(List.of(new Line("Operation stays", 0, 70, 80, false))));
        pages.add(new ArrayList<>());
        PdfExtractor.joinAcrossPages(pages);
        assertEquals("ends with information", pages.get(0).getFirst().text());
        assertEquals(List.of("Next line Co-"), pages.get(1).stream().map(Line::text).toList());
        assertEquals("Operation stays", pages.get(2).getFirst().text());
        assertNull(PdfExtractor.joinHyphenated("a - ", "b"));
        assertNull(PdfExtractor.joinHyphenated("x-", ""));
    }
}
