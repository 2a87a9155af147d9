package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.pdf.TestPdfs.Text;

/**
 * Running headers and footers, alone: what a line is matched by, and the pages {@link TextCapture} reads from PDFs
 * written in the test parted into running lines and the others.
 */
class RunningLinesTest {
    @TempDir
    Path dir;

    private static List<List<String>> texts(List<List<Line>> pages) {
        return pages.stream().map(p -> p.stream().map(Line::text).toList()).toList();
    }

    @Test
    void runningKeys() {
        assertEquals(RunningLines.key("Page 3 of 10"), RunningLines.key("Page 12 of 10"));
        assertEquals("#", RunningLines.key("xiv"));
        assertFalse(RunningLines.key("This body line mentions 3 apples and 4 pears")
                .equals(RunningLines.key("This body line mentions 5 apples and 6 pears")));
    }

    @Test
    void aHeaderAndAPageNumberFooterAreLeftOutOfEveryPage() throws IOException {
        RunningLines.Split split = RunningLines.split(
                TestPdfs.captured(TestPdfs.runningHeadersPdf(dir.resolve("report.pdf"), 4)));
        for (int i = 1; i <= 4; i++) {
            assertEquals(List.of("Body of page " + i + " talks about topic number " + i + ".",
                    "It has a second line of its own on page " + i + "."), texts(split.kept()).get(i - 1));
            assertEquals(List.of("ACME Corporation Annual Report 2024", "Page " + i + " of 4"),
                    split.dropped().get(i - 1));
        }
        assertEquals("left out 8 running header/footer lines repeated on most pages (e.g. \"ACME Corporation "
                + "Annual Report 2024\")", split.warning());
    }

    @Test
    void headingsWhoseNumbersDoNotFollowThePagesStay() throws IOException {
        int[] chapters = {7, 2, 9, 4};
        List<List<Text>> pages = new ArrayList<>();
        for (int i = 1; i <= chapters.length; i++) {
            List<Text> page = new ArrayList<>();
            page.add(new Text(72, 740, 14, "Chapter " + chapters[i - 1]));
            page.addAll(TestPdfs.column(72, 700, "The body of page " + i + " goes on for a while."));
            page.add(new Text(280, 30, 9, "- " + (i + 10) + " -"));
            pages.add(page);
        }
        RunningLines.Split split = RunningLines.split(TestPdfs.captured(TestPdfs.pdf(dir.resolve("ch.pdf"), pages)));
        for (int i = 1; i <= chapters.length; i++) {
            assertEquals(List.of("Chapter " + chapters[i - 1], "The body of page " + i + " goes on for a while."),
                    texts(split.kept()).get(i - 1));
            assertEquals(List.of("- " + (i + 10) + " -"), split.dropped().get(i - 1));
        }
    }

    @Test
    void aPageKeepsItsOnlyTextAndTwoPagesAreTooFewToRepeat() throws IOException {
        List<List<Text>> notes = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            notes.add(List.of(new Text(72, 740, 14, "Notes")));
        }
        RunningLines.Split split = RunningLines.split(TestPdfs.captured(TestPdfs.pdf(dir.resolve("n.pdf"), notes)));
        assertEquals(List.of(List.of("Notes"), List.of("Notes"), List.of("Notes"), List.of("Notes")),
                texts(split.kept()));
        assertNull(split.warning());

        RunningLines.Split two = RunningLines.split(
                TestPdfs.captured(TestPdfs.runningHeadersPdf(dir.resolve("short.pdf"), 2)));
        assertEquals(4, texts(two.kept()).getFirst().size());
        assertEquals(List.of(List.of(), List.of()), two.dropped());
        assertNull(two.warning());
    }
}
