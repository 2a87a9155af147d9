package dev.goldfinch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestedDocument.Unit;

/** Sections of plain text (line ranges, clear headings) and Markdown (headings, front matter), on files written here. */
class TextSectionsTest {
    private static final Pattern MARK = Pattern.compile("\\[L(\\d+)]");
    private static final Pattern RANGE = Pattern.compile("(?:.*, )?lines? (\\d+)(?:\u2013(\\d+))?");

    private final Ingestor ingestor = new Ingestor();

    @TempDir
    Path dir;

    /**
     * A made-up report of {@code lines} lines: paragraphs of 2 to 7 lines of about 70 characters, a blank line between
     * them; each line carries its own number in the file ("[L123]"), so a test can check what a label says.
     */
    private static String report(int lines, long seed) {
        String[] words = "the finch reads a long report once and keeps what it learned for every question after".split(" ");
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        int inParagraph = 0;
        int paragraph = 2 + r.nextInt(6);
        for (int n = 1; n <= lines; n++) {
            if (inParagraph == paragraph && n < lines) {
                sb.append('\n');
                inParagraph = 0;
                paragraph = 2 + r.nextInt(6);
                continue;
            }
            StringBuilder line = new StringBuilder("[L" + n + "]");
            while (line.length() < 66) {
                line.append(' ').append(words[r.nextInt(words.length)]);
            }
            sb.append(line).append('\n');
            inParagraph++;
        }
        return sb.toString();
    }

    private IngestedDocument ingest(String name, String text) throws IOException {
        return ingestor.ingest(TestDocs.text(dir.resolve(name), text, StandardCharsets.UTF_8, false));
    }

    private static List<String> labels(IngestedDocument doc) {
        return doc.pages().stream().map(PageSpan::label).toList();
    }

    /** Every marked line of the text lies in a section whose label names a range of lines holding its number. */
    private static void assertLabelsNameTheLines(IngestedDocument doc) {
        Matcher m = MARK.matcher(doc.text());
        int marks = 0;
        while (m.find()) {
            int line = Integer.parseInt(m.group(1));
            String label = doc.pageAt(m.start()).label();
            Matcher range = RANGE.matcher(label);
            assertTrue(range.matches(), "a label of lines: " + label);
            int first = Integer.parseInt(range.group(1));
            int last = range.group(2) == null ? first : Integer.parseInt(range.group(2));
            assertTrue(first <= line && line <= last, "line " + line + " is in its section's range: " + label);
            marks++;
        }
        assertTrue(marks > 0, "the text has marked lines");
    }

    /** Pages numbered 1..n, each holding text (the constructor of IngestedDocument checks they are contiguous). */
    private static void assertNumberedInOrder(IngestedDocument doc) {
        for (int i = 0; i < doc.pages().size(); i++) {
            PageSpan p = doc.pages().get(i);
            assertEquals(i + 1, p.page());
            assertTrue(p.length() > 0 || doc.unit() == Unit.PAGE, "section " + p + " holds text");
        }
        assertEquals(0, doc.pages().getFirst().start());
        assertEquals(doc.text().length(), doc.pages().getLast().end());
    }

    @Test
    void aLongTextIsCutIntoLineRangesAtBlankLines() throws IOException {
        String text = report(1300, 1);
        IngestedDocument doc = ingest("report.txt", text);
        assertEquals(Unit.SECTION, doc.unit());
        assertNumberedInOrder(doc);
        assertLabelsNameTheLines(doc);
        List<String> fileLines = text.lines().toList();
        int previousLast = 0;
        for (PageSpan p : doc.pages()) {
            Matcher range = RANGE.matcher(p.label());
            assertTrue(range.matches(), p.label());
            int first = Integer.parseInt(range.group(1));
            int last = Integer.parseInt(range.group(2));
            assertTrue(first > previousLast, "ranges in order: " + labels(doc));
            int size = last - first + 1;
            int least = (p.page() < doc.pages().size() ? TextSections.MIN_ROWS : TextSections.MIN_TAIL_ROWS) - 2;
            assertTrue(size >= least && size <= TextSections.MAX_ROWS + TextSections.MIN_TAIL_ROWS,
                    "a section of a sensible size: " + p.label());
            if (p.page() > 1) {
                assertTrue(fileLines.get(first - 2).isBlank(), "cut at a blank line: " + p.label());
            }
            assertTrue(doc.textOf(p).startsWith("[L" + first + "]"), p.label() + " starts with its first line");
            previousLast = last;
        }
        assertTrue(doc.pages().size() >= 1300 / 80 && doc.pages().size() <= 1300 / 40, "sections: " + doc.pages().size());
        assertEquals("lines 1\u2013", labels(doc).getFirst().substring(0, 8));
        assertTrue(labels(doc).getLast().endsWith("\u20131300"), labels(doc).getLast());
    }

    @Test
    void lineNumbersAreTheFilesWithCrLfABomAndRunsOfBlankLines() throws IOException {
        String text = "\n\n" + report(400, 2).replace("\n\n", "\n \n\t\n\n").replace("\n", "\r\n");
        Path file = TestDocs.text(dir.resolve("windows.txt"), text, StandardCharsets.UTF_8, true);
        IngestedDocument doc = ingestor.ingest(file);
        assertNumberedInOrder(doc);
        // the lines were renumbered by the blank lines added: the marks no longer say their line, the labels do
        List<String> fileLines = text.lines().toList();
        for (PageSpan p : doc.pages()) {
            Matcher range = RANGE.matcher(p.label());
            assertTrue(range.matches(), p.label());
            String firstLine = fileLines.get(Integer.parseInt(range.group(1)) - 1);
            String lastLine = fileLines.get(Integer.parseInt(range.group(2)) - 1);
            String section = doc.textOf(p).strip();
            assertTrue(section.startsWith(firstLine), p.label() + " starts at " + firstLine);
            assertTrue(section.endsWith(lastLine), p.label() + " ends at " + lastLine);
        }
        assertTrue(labels(doc).getFirst().startsWith("lines 3\u2013"), "the first line of text is line 3: " + labels(doc));
    }

    @Test
    void aShortTextIsOneSection() throws IOException {
        IngestedDocument doc = ingest("short.txt", report(70, 3));
        assertEquals(List.of("lines 1\u201370"), labels(doc));
        assertEquals(List.of("line 2"), labels(ingest("one.txt", "\nOne line.\n\n")));
    }

    @Test
    void aTextWithoutBlankLinesIsCutEveryMaxLines() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int n = 1; n <= 1000; n++) {
            text.append("[L").append(n).append("] 12:00:0").append(n % 10).append(" the finch read a line\n");
        }
        IngestedDocument doc = ingest("log.txt", text.toString());
        assertNumberedInOrder(doc);
        assertLabelsNameTheLines(doc);
        assertEquals("lines 1\u201380", labels(doc).getFirst());
        assertEquals("lines 81\u2013160", labels(doc).get(1));
    }

    @Test
    void aParagraphPerLineIsCutBySizeNotByLineCount() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int n = 1; n <= 400; n += 2) {
            sb.append("[L").append(n).append("] ").append("A long paragraph on one line, as editors that wrap softly save it. ".repeat(8)).append("\n\n");
        }
        IngestedDocument doc = ingest("soft.txt", sb.toString());
        assertNumberedInOrder(doc);
        assertLabelsNameTheLines(doc);
        for (PageSpan p : doc.pages()) {
            assertTrue(p.length() < 120 * TextSections.ROW_CHARS, p.label() + " holds " + p.length() + " characters");
        }
        assertTrue(doc.pages().size() > 10, labels(doc).toString());
    }

    @Test
    void clearHeadingsOfALongTextAreItsSections() throws IOException {
        StringBuilder sb = new StringBuilder("A REPORT ON FINCHES\n\nBy the finch society.\n\n");
        String[] headings = {"1. Introduction", "2. Methods", "RESULTS:", "Chapter 4: What it means"};
        for (int h = 0; h < headings.length; h++) {
            sb.append(headings[h]).append("\n\n").append(report(h == 1 ? 200 : 30, h).replaceAll("\\[L\\d+]", "")).append('\n');
        }
        IngestedDocument doc = ingest("report.txt", sb.toString());
        assertNumberedInOrder(doc);
        List<String> labels = labels(doc);
        assertEquals("lines 1\u20133", labels.getFirst(), "a heading without text after it is no section: " + labels);
        assertTrue(labels.containsAll(List.of("1. Introduction", "2. Methods", "RESULTS", "Chapter 4: What it means")), labels.toString());
        assertTrue(labels.stream().anyMatch(l -> l.matches("2\\. Methods, lines \\d+\u2013\\d+")), "a long section is cut by lines: " + labels);
        PageSpan results = doc.pages().get(labels.indexOf("RESULTS"));
        assertTrue(doc.textOf(results).startsWith("RESULTS:\n\n"), "the text keeps the heading as written: " + doc.textOf(results));
    }

    @Test
    void aNumberedListIsNotTakenForHeadings() throws IOException {
        StringBuilder sb = new StringBuilder(report(150, 5));
        sb.append('\n');
        for (int i = 1; i <= 30; i++) {
            sb.append(i).append(". Buy ").append(i).append(" Seeds\n\n");
        }
        sb.append(report(150, 6).replaceAll("\\[L\\d+]", ""));
        IngestedDocument doc = ingest("list.txt", sb.toString());
        assertTrue(labels(doc).stream().allMatch(l -> l.startsWith("lines ")), labels(doc).toString());
    }

    @Test
    void looksLikeHeading() {
        for (String s : List.of("INTRODUCTION", "CHAPTER IV.", "1. Introduction", "2.3 Related work", "IV. Results", "Chapter 3",
                "Appendix A", "PART ONE: THE NEST")) {
            assertTrue(TextSections.looksLikeHeading(s), s);
        }
        for (String s : List.of("Introduction", "1. Preheat the oven.", "I.", "2024", "* * *", "It was a dark night.",
                "SEE ALSO, FOR EXAMPLE,", "1.5 kg of seeds", "x".repeat(61))) {
            assertFalse(TextSections.looksLikeHeading(s), s);
        }
    }

    @Test
    void markdownHeadingsAtxAndSetextOutsideCode() throws IOException {
        String md = """
                Intro before any heading.

                # Guide #

                Welcome.

                Installation
                ============

                Run it.

                ```sh
                # not a heading
                ````

                ```` text
                ```
                ## still code
                ````

                ~~~
                Code
                ---
                ~~~

                Usage notes
                -----------

                - an item
                ---

                Text.

                ---

                ###### Deep `goldfinch --help` with **bold**, [a link](https://example.org) and snake_case ######

                #hashtag is text

                ## Install `goldfinch` with *Maven* and a very long heading that goes on and on and on past sixty

                Done.
                """;
        IngestedDocument doc = ingest("guide.md", md);
        assertEquals(Unit.SECTION, doc.unit());
        assertNumberedInOrder(doc);
        assertEquals(List.of("Start", "Guide", "Installation", "Usage notes",
                "Deep goldfinch --help with bold, a link and snake_case",
                "Install goldfinch with Maven and a very long heading that\u2026"), labels(doc));
        assertEquals("Guide", doc.title());
        assertTrue(doc.textOf(doc.pages().get(2)).startsWith("Installation\n============\n\nRun it."), doc.textOf(doc.pages().get(2)));
        assertTrue(doc.textOf(doc.pages().get(2)).contains("## still code"));
        assertTrue(doc.textOf(doc.pages().get(3)).contains("- an item\n---\n\nText.\n\n---"), doc.textOf(doc.pages().get(3)));
        for (PageSpan p : doc.pages()) {
            assertTrue(p.label().length() <= TextSections.MAX_LABEL, p.label());
        }
    }

    @Test
    void theFirstHeadingOfAnyLevelIsTheTitleWithoutItsMarks() throws IOException {
        IngestedDocument doc = ingest("notes.md", "## Field notes ##\n\nSeen today.\n\n# Later\n\nMore.\n");
        assertEquals("Field notes", doc.title());
        assertEquals(List.of("Field notes", "Later"), labels(doc));
        assertEquals("Setext title", ingest("setext.md", "Setext title\n===\n\nBody.\n").title());
    }

    @Test
    void frontMatterGivesTheTitleAndIsNotPartOfTheText() throws IOException {
        String md = """
                ---
                layout: post
                title: "Goldfinches: a \\"field\\" guide" # the post's title
                tags: [birds, seeds]
                ---

                # Chapter one

                Thistles.
                """;
        IngestedDocument doc = ingest("post.md", md);
        assertEquals("Goldfinches: a \"field\" guide", doc.title());
        assertEquals("# Chapter one\n\nThistles.", doc.text());
        assertEquals(List.of("Chapter one"), labels(doc));

        IngestedDocument toml = ingest("hugo.md", "+++\ntitle = 'It''s spring'\ndraft = false\n+++\nSeeds.\n");
        assertEquals("It's spring", toml.title());
        assertEquals("Seeds.", toml.text());

        IngestedDocument folded = ingest("folded.md", "---\ntitle: >\n  A title on\n  two lines\n---\nText.\n");
        assertEquals("A title on two lines", folded.title());

        // a rule at the top, then ordinary text: no front matter
        IngestedDocument rule = ingest("rule.md", "---\nJust text under a rule.\n---\nMore text.\n");
        assertTrue(rule.text().startsWith("---\nJust text"), rule.text());
    }

    @Test
    void markdownWithoutHeadingsFallsBackToLineRangesCountingTheFrontMatter() throws IOException {
        String md = "---\ntitle: Plain notes\n---\n" + report(600, 7).replaceAll("\\[L(\\d+)]", "[L+$1]");
        IngestedDocument doc = ingest("plain.md", md);
        assertEquals("Plain notes", doc.title());
        assertFalse(doc.text().contains("title:"));
        assertNumberedInOrder(doc);
        // every line moved down by the front matter's three lines
        Matcher m = Pattern.compile("\\[L\\+(\\d+)]").matcher(doc.text());
        while (m.find()) {
            int line = Integer.parseInt(m.group(1)) + 3;
            Matcher range = RANGE.matcher(doc.pageAt(m.start()).label());
            assertTrue(range.matches(), doc.pageAt(m.start()).label());
            assertTrue(Integer.parseInt(range.group(1)) <= line && line <= Integer.parseInt(range.group(2)), line + " in " + range.group());
        }
        assertTrue(labels(doc).getFirst().startsWith("lines 4\u2013"), labels(doc).getFirst());
        assertNull(ingest("bare.md", "Just a note.\n").title());
    }

    @Test
    void aLongMarkdownSectionIsCutByLines() throws IOException {
        String md = "# Guide\n\nShort.\n\n## Installation\n\n" + report(300, 8).replaceAll("\\[L\\d+]", "") + "\n## Usage\n\nRun.\n";
        IngestedDocument doc = ingest("long.md", md);
        assertNumberedInOrder(doc);
        List<String> labels = labels(doc);
        assertEquals("Guide", labels.getFirst());
        assertEquals("Installation", labels.get(1));
        assertTrue(labels.get(2).matches("Installation, lines \\d+\u2013\\d+"), labels.toString());
        assertEquals("Usage", labels.getLast());
        List<String> fileLines = md.lines().toList();
        for (String label : labels) {
            Matcher range = RANGE.matcher(label);
            if (range.matches()) {
                PageSpan p = doc.pages().get(labels.indexOf(label));
                assertTrue(doc.textOf(p).startsWith(fileLines.get(Integer.parseInt(range.group(1)) - 1)), label);
            }
        }
    }

    @Test
    void aLongIntroBeforeTheFirstHeadingKeepsStartThenLines() throws IOException {
        String md = report(200, 9) + "\n# At last\n\nEnd.\n";
        List<String> labels = labels(ingest("intro.md", md));
        assertEquals("Start", labels.getFirst());
        assertTrue(labels.get(1).startsWith("lines "), labels.toString());
        assertEquals("At last", labels.getLast());
    }

    /** Sections over many shapes of text: always contiguous, in order, each with text, labels never blank. */
    @Test
    void randomTextsAlwaysGiveAWholePageMap() throws IOException {
        Random r = new Random(11);
        String[] pieces = {"# Heading", "Title\n===", "---", "```", "~~~", "", "", "text line", "another text line",
                "INTRODUCTION", "1. Methods", "- item", "    code", "---\ntitle: x\n---", "\f", "\u2028"};
        for (int run = 0; run < 60; run++) {
            List<String> lines = new ArrayList<>();
            int count = r.nextInt(400);
            for (int i = 0; i < count; i++) {
                lines.add(pieces[r.nextInt(pieces.length)]);
            }
            String text = String.join("\n", lines) + "\nend";
            for (String name : List.of("r" + run + ".md", "r" + run + ".txt")) {
                IngestedDocument doc = ingest(name, text);
                assertNumberedInOrder(doc);
                for (PageSpan p : doc.pages()) {
                    assertFalse(p.label().isBlank(), name + ": " + p);
                }
            }
        }
    }
}
