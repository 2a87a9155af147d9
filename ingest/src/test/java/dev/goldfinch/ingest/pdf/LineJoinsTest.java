package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line and hyphen joins, alone: on lines made by hand, and on the lines {@link TextCapture} reads from PDFs
 * written in the test.
 */
class LineJoinsTest {
    @TempDir
    Path dir;

    /** Each page's lines, in lists that the join across pages may change. */
    private static List<List<Line>> lines(List<PageLines> pages) {
        List<List<Line>> out = new ArrayList<>();
        pages.forEach(p -> out.add(new ArrayList<>(p.lines())));
        return out;
    }

    @Test
    void hyphenJoin() {
        List<Line> lines = List.of(
                new Line("a long infor-", 0, 0, 10, false),
                new Line("mation here", 0, 12, 22, false),
                new Line("co\u00AD", 0, 24, 34, false),
                new Line("Operation", 0, 36, 46, false),
                new Line("ends with - dash", 0, 48, 58, false),
                new Line("next", 0, 60, 70, true));
        assertEquals("a long information\nhere\ncoOperation\nends with - dash\n\nnext", LineJoins.pageText(lines));
    }

    @Test
    void hyphenJoinAcrossPages() {
        List<List<Line>> pages = new ArrayList<>();
        pages.add(new ArrayList<>(List.of(new Line("ends with infor-", 0, 700, 710, false))));
        pages.add(new ArrayList<>(List.of(new Line("mation", 0, 70, 80, false),
                new Line("Next line Co-", 0, 90, 100, false))));
        pages.add(new ArrayList<>(List.of(new Line("Operation stays", 0, 70, 80, false))));
        pages.add(new ArrayList<>());
        LineJoins.acrossPages(pages);
        assertEquals("ends with information", pages.get(0).getFirst().text());
        assertEquals(List.of("Next line Co-"), pages.get(1).stream().map(Line::text).toList());
        assertEquals("Operation stays", pages.get(2).getFirst().text());
        assertNull(LineJoins.hyphenated("a - ", "b"));
        assertNull(LineJoins.hyphenated("x-", ""));
    }

    @Test
    void aPagesLinesJoinedWithTheWordSplitAtItsEndWhole() throws IOException {
        List<PageLines> pages = TestPdfs.captured(TestPdfs.hyphenPdf(dir.resolve("hyphen.pdf")));
        assertEquals("The committee examined the information\ncarefully before the vote, and\n"
                + "the delegate from Baden-\nWürttemberg agreed with the plan.",
                LineJoins.pageText(pages.getFirst().lines()));
    }

    @Test
    void aWordSplitAcrossAPageBreakGoesToThePageWhereItStarts() throws IOException {
        List<List<Line>> pages = lines(TestPdfs.captured(TestPdfs.pdf(dir.resolve("break.pdf"), List.of(
                TestPdfs.column(72, 700, "Page one tells how the clerk gathered all the", "infor-"),
                TestPdfs.column(72, 700, "mation about the river before the flood came,",
                        "and then the town of Baden-"),
                TestPdfs.column(72, 700, "Württemberg sent help.")))));
        LineJoins.acrossPages(pages);
        assertEquals("Page one tells how the clerk gathered all the\ninformation", LineJoins.pageText(pages.get(0)));
        assertEquals("about the river before the flood came,\nand then the town of Baden-",
                LineJoins.pageText(pages.get(1)));
        assertEquals("Württemberg sent help.", LineJoins.pageText(pages.get(2)));
    }

    @Test
    void aPageThatIsOnlyTheRestOfTheWordIsLeftEmpty() throws IOException {
        List<List<Line>> pages = lines(TestPdfs.captured(TestPdfs.pdf(dir.resolve("rest.pdf"), List.of(
                TestPdfs.column(72, 700, "A word that ends on the next page: infor-"),
                TestPdfs.column(72, 700, "mation")))));
        LineJoins.acrossPages(pages);
        assertEquals("A word that ends on the next page: information", LineJoins.pageText(pages.get(0)));
        assertEquals(List.of(), pages.get(1));
    }
}
