package dev.goldfinch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The small parts: normalisation, language guess, the page map, messages. */
class PiecesTest {

    @Test
    void nfkcOnlyWhereSafe() {
        assertEquals("office fluff", TextNormalizer.normalize("o\uFB03ce \uFB02u\uFB00"));
        assertEquals("a b c d", TextNormalizer.normalize("a\u00A0b\u2009c\u3000d"));
        assertEquals("ABC123", TextNormalizer.normalize("\uFF21\uFF22\uFF23\uFF11\uFF12\uFF13"));
        assertEquals("invisible", TextNormalizer.normalize("in\u200Bvis\u00ADi\uFEFFble"));
        // meaning-bearing compatibility characters stay
        assertEquals("x² ½ ™ …", TextNormalizer.normalize("x² ½ ™ …"));
        // decomposed accents are composed (NFC)
        assertEquals("café", TextNormalizer.normalize("cafe\u0301"));
        assertEquals("line\nnext", TextNormalizer.normalize("line\r\nnext"));
        assertEquals("ab", TextNormalizer.normalize("a\u0000\u0007b"));
    }

    @Test
    void mathematicalLettersFoldToPlainOnes() {
        assertEquals("f(x) = Ax + h, n ∈ N, R2", TextNormalizer.normalize("𝑓(𝑥) = 𝐀𝑥 + ℎ, 𝑛 ∈ ℕ, 𝕽𝟐"));
        // other characters beyond the Basic Multilingual Plane stay as they are
        assertEquals("😀 𠀀", TextNormalizer.normalize("😀 𠀀"));
    }

    @Test
    void hyphenJoin() {
        List<PdfExtractor.Line> lines = List.of(
                new PdfExtractor.Line("a long infor-", 0, 0, 10, false),
                new PdfExtractor.Line("mation here", 0, 12, 22, false),
                new PdfExtractor.Line("co\u00AD", 0, 24, 34, false),
                new PdfExtractor.Line("Operation", 0, 36, 46, false),
                new PdfExtractor.Line("ends with - dash", 0, 48, 58, false),
                new PdfExtractor.Line("next", 0, 60, 70, true));
        assertEquals("a long information\nhere\ncoOperation\nends with - dash\n\nnext", PdfExtractor.joinLines(lines));
    }

    @Test
    void hyphenJoinAcrossPages() {
        List<List<PdfExtractor.Line>> pages = new java.util.ArrayList<>();
        pages.add(new java.util.ArrayList<>(List.of(new PdfExtractor.Line("ends with infor-", 0, 700, 710, false))));
        pages.add(new java.util.ArrayList<>(List.of(new PdfExtractor.Line("mation", 0, 70, 80, false),
                new PdfExtractor.Line("Next line Co-", 0, 90, 100, false))));
        pages.add(new java.util.ArrayList<>(List.of(new PdfExtractor.Line("Operation stays", 0, 70, 80, false))));
        pages.add(new java.util.ArrayList<>());
        PdfExtractor.joinAcrossPages(pages);
        assertEquals("ends with information", pages.get(0).getFirst().text());
        assertEquals(List.of("Next line Co-"), pages.get(1).stream().map(PdfExtractor.Line::text).toList());
        assertEquals("Operation stays", pages.get(2).getFirst().text());
        assertNull(PdfExtractor.joinHyphenated("a - ", "b"));
        assertNull(PdfExtractor.joinHyphenated("x-", ""));
    }

    @Test
    void tesseractTsv() {
        List<String> tsv = List.of(
                "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
                "1\t1\t0\t0\t0\t0\t0\t0\t2550\t3300\t-1\t",
                "2\t1\t1\t0\t0\t0\t300\t300\t1500\t200\t-1\t",
                "5\t1\t1\t1\t1\t1\t300\t300\t200\t60\t96.5\tThe",
                "5\t1\t1\t1\t1\t2\t520\t290\t200\t80\t95.1\tquick",
                "5\t1\t1\t1\t2\t1\t300\t420\t200\t60\t91.0\tfox",
                "5\t1\t1\t1\t3\t1\t300\t520\t20\t20\t12.0\t~",
                "5\t1\t1\t2\t1\t1\t300\t600\t200\t60\t93.0\tNew",
                "5\t1\t2\t1\t1\t1\t300\t3000\t200\t60\t-1\t ",
                "5\t1\t2\t1\t1\t2\t300\t3000\t200\t60\t90.0\t7");
        List<PdfExtractor.Line> lines = Ocr.parseTsv(tsv, 72f / 300);
        assertEquals(List.of("The quick", "fox", "New", "7"), lines.stream().map(PdfExtractor.Line::text).toList());
        assertEquals(List.of(false, false, true, true),
                lines.stream().map(PdfExtractor.Line::paragraphStart).toList());
        assertEquals(290 * 0.24f, lines.getFirst().top(), 0.01);
        assertEquals(370 * 0.24f, lines.getFirst().bottom(), 0.01);
        assertEquals(2, lines.getLast().region());
    }

    @Test
    void runningKeys() {
        assertEquals(RunningLines.key("Page 3 of 10"), RunningLines.key("Page 12 of 10"));
        assertEquals("#", RunningLines.key("xiv"));
        assertFalse(RunningLines.key("This body line mentions 3 apples and 4 pears")
                .equals(RunningLines.key("This body line mentions 5 apples and 6 pears")));
    }

    @Test
    void languageGuess() {
        assertEquals("en", LanguageGuesser.guess("The committee said that it was not ready for the vote, and the "
                + "members of the board agreed with this view on the matter."));
        assertEquals("fr", LanguageGuesser.guess("Le comité a dit que la proposition est bonne pour la ville et que "
                + "les habitants sont contents avec le projet dans le quartier."));
        assertEquals("ru", LanguageGuesser.guess("Быстрая коричневая лиса прыгает через ленивую собаку и бежит в лес."));
        assertEquals("ja", LanguageGuesser.guess("これは日本語の文章です。東京は大きな都市で、たくさんの人が住んでいます。"));
        assertNull(LanguageGuesser.guess("Hi."));
        assertEquals("en", LanguageGuesser.isoCode("en-US"));
        assertEquals("de", LanguageGuesser.isoCode("deu"));
        assertNull(LanguageGuesser.isoCode(""));
    }

    @Test
    void pageMapLookup() {
        String text = "aaaa\n\nbbbb";
        IngestedDocument doc = new IngestedDocument(text, IngestedDocument.Unit.PAGE, List.of(
                new PageSpan(1, 0, 6, "1"), new PageSpan(2, 6, 6, "2"), new PageSpan(3, 6, 10, "3")),
                null, null, null, null, "application/pdf", "00", List.of());
        assertEquals(1, doc.pageAt(0).page());
        assertEquals(1, doc.pageAt(5).page());
        assertEquals(3, doc.pageAt(6).page());
        assertEquals(3, doc.pageAt(10).page());
        assertThrows(IndexOutOfBoundsException.class, () -> doc.pageAt(11));
        assertThrows(IllegalArgumentException.class, () -> new IngestedDocument(text, IngestedDocument.Unit.PAGE,
                List.of(new PageSpan(1, 0, 5, "1")), null, null, null, null, "x", "00", List.of()));
    }

    @Test
    void messagesAreOneLine() {
        IngestException e = new IngestException(IngestException.Reason.CORRUPT, null, "bad\n  thing\r\nhere");
        assertEquals("bad thing here", e.getMessage());
        assertTrue(new IngestException(IngestException.Reason.CORRUPT, null, "x".repeat(1000)).getMessage().length()
                <= 300);
    }

    @Test
    void pageRanges() {
        assertEquals("2-3, 5, 7-9", PdfExtractor.ranges(List.of(2, 3, 5, 7, 8, 9)));
    }
}
