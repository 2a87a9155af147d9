package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.Ingestor;

/**
 * PDFs whose text is only right when read from the glyphs' positions: written with PDFBox the way real producers
 * write them (words placed without space glyphs, right-to-left text in visual order, accents drawn as glyphs of
 * their own, text drawn twice), read back through the Ingestor.
 */
class PdfGlyphTextTest {
    private final Ingestor ingestor = new Ingestor();

    @TempDir
    Path dir;

    /** The text, lines only (these tests are not about where paragraphs start). */
    private String text(Path pdf) {
        return ingestor.ingest(pdf).text().replaceAll("\n+", "\n");
    }

    private static Path font(String text, Path... candidates) throws IOException {
        Path font = TestPdfs.fontFor(text, candidates);
        assumeTrue(font != null, "needs a TrueType font with " + text + " (one of " + List.of(candidates)
                + "; Debian: fonts-dejavu-core, fonts-nanum, which .ci/test installs)");
        return font;
    }

    @Test
    void rightToLeftLinesComeOutInLogicalOrder() throws IOException {
        Path dejavu = font("שלום مرحبا", TestPdfs.DEJAVU);
        Path pdf = TestPdfs.drawnPdf(dir.resolve("rtl.pdf"), (doc, cs) -> {
            PDFont f = PDType0Font.load(doc, dejavu.toFile());
            TestPdfs.rtlWords(cs, f, 12, 540, 700, 0.3f, "שלום", "עולם", "ומה", "נשמע");
            TestPdfs.rtlWords(cs, f, 12, 540, 680, 0.3f, "בשנת", "2024", "נבנה", "הגשר");
            TestPdfs.rtlWords(cs, f, 12, 540, 660, 0.3f, "مرحبا", "بالعالم", "الجميل");
            // a Hebrew word inside an English line, drawn in visual order with space glyphs
            TestPdfs.show(cs, f, 12, 72, 640, "The word " + new StringBuilder("שלום").reverse() + " means peace");
        });
        assertEquals("שלום עולם ומה נשמע\nבשנת 2024 נבנה הגשר\nمرحبا بالعالم الجميل\nThe word שלום means peace",
                text(pdf));
    }

    @Test
    void hangulWordsKeepTheSpacesBetweenThem() throws IOException {
        String[] words = {"모든", "인간은", "태어날", "때부터", "자유로우며"};
        Path hangul = font(String.join("", words), TestPdfs.HANGUL_FONTS);
        Path pdf = TestPdfs.drawnPdf(dir.resolve("ko.pdf"), (doc, cs) -> {
            PDFont f = PDType0Font.load(doc, hangul.toFile());
            // each word placed a space's width after the one before, as Korean producers do, with no space glyph
            float space = f.getStringWidth(" ") / 1000;
            TestPdfs.words(cs, f, 12, 72, 700, space, words);
        });
        assertEquals(String.join(" ", words), text(pdf));
    }

    @Test
    void latinWordsPlacedWithoutSpaceGlyphsAreSplitByTheirGaps() throws IOException {
        Path dejavu = font("zum westlichen", TestPdfs.DEJAVU);
        Path pdf = TestPdfs.drawnPdf(dir.resolve("de.pdf"), (doc, cs) -> {
            PDFont f = PDType0Font.load(doc, dejavu.toFile());
            // a justified line of TeX: the spaces shrunk to 0.22 em (a word space may shrink to about two thirds)
            TestPdfs.words(cs, f, 10, 72, 700, 0.22f, "Sie", "fuhren", "zum", "westlichen", "Ufer", "des", "Sees.");
            // letters placed one by one with a little letter-spacing (0.03 em) stay one word
            TestPdfs.words(cs, f, 10, 72, 680, 0.03f, "K", "e", "r", "n", "i", "n", "g");
        });
        assertEquals("Sie fuhren zum westlichen Ufer des Sees.\nKerning", text(pdf));
    }

    @Test
    void mathematicalLettersAreKeptAsPlainLetters() throws IOException {
        String formula = "Let 𝑓(𝑥) = 𝑎𝑥 + 𝑏, where ℎ ≠ 0.";
        Path serif = font(formula, TestPdfs.DEJAVU_SERIF);
        Path pdf = TestPdfs.drawnPdf(dir.resolve("math.pdf"), (doc, cs) ->
                TestPdfs.show(cs, PDType0Font.load(doc, serif.toFile()), 12, 72, 700, formula));
        assertEquals("Let f(x) = ax + b, where h ≠ 0.", text(pdf));
    }

    @Test
    void glyphsKnownOnlyByTheirNamesAreRead() throws IOException {
        // a math font without a ToUnicode map: its glyph names are all that says which letters it draws
        Path pdf = TestPdfs.rawPdf(dir.resolve("names.pdf"),
                "BT /F1 12 Tf 72 700 Td (Solve ) Tj /F2 12 Tf (ABCDE) Tj /F1 12 Tf ( now.) Tj ET",
                doc -> {
                    try {
                        return new PDFont[] {TestPdfs.HELVETICA,
                            TestPdfs.namedGlyphFont(doc, 'A', "u1D465", "equal", "u1D466.ssty", "uni00660069", "f_l")};
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        assertEquals("Solve x=yfifl now.", text(pdf));
    }

    @Test
    void accentsJoinTheLetterTheyAreDrawnOver() throws IOException {
        Path pdf = TestPdfs.drawnPdf(dir.resolve("accents.pdf"), (doc, cs) -> {
            PDFont f = TestPdfs.HELVETICA;
            float s = 12;
            // the letters first, then the accents over them (the dieresis is wider than the i it sits on)
            String line = "A naive cafe owner";
            TestPdfs.show(cs, f, s, 72, 700, line);
            float i = 72 + TestPdfs.width(f, s, "A na");
            float e = 72 + TestPdfs.width(f, s, "A naive caf");
            TestPdfs.show(cs, f, s, i + (TestPdfs.width(f, s, "i") - TestPdfs.width(f, s, "\u00a8")) / 2, 700, "\u00a8");
            TestPdfs.show(cs, f, s, e + (TestPdfs.width(f, s, "e") - TestPdfs.width(f, s, "\u00b4")) / 2, 700, "\u00b4");
            // accents that stand on their own stay
            TestPdfs.show(cs, f, s, 72, 680, "x^2 and ~/notes and `code'");
        });
        assertEquals("A naïve café owner\nx^2 and ~/notes and `code'", text(pdf));
    }

    @Test
    void texAccentOverADotlessIIsAnI() throws IOException {
        Path dejavu = font("naıve¨", TestPdfs.DEJAVU);
        Path pdf = TestPdfs.drawnPdf(dir.resolve("tex.pdf"), (doc, cs) -> {
            PDFont f = PDType0Font.load(doc, dejavu.toFile());
            float s = 12;
            float x = 72;
            TestPdfs.show(cs, f, s, x, 700, "na");
            x += TestPdfs.width(f, s, "na");
            float wi = TestPdfs.width(f, s, "ı");
            // as TeX's \"\i: the accent first, centred over the dotless i, then the letter
            TestPdfs.show(cs, f, s, x + (wi - TestPdfs.width(f, s, "¨")) / 2, 700, "¨");
            TestPdfs.show(cs, f, s, x, 700, "ı");
            TestPdfs.show(cs, f, s, x + wi, 700, "ve");
        });
        assertEquals("naïve", text(pdf));
    }

    @Test
    void textDrawnTwiceIsReadOnce() throws IOException {
        Path pdf = TestPdfs.drawnPdf(dir.resolve("slide.pdf"), (doc, cs) -> {
            // a slide title with a shadow copy 3 pt off, drawn first
            TestPdfs.show(cs, TestPdfs.HELVETICA_BOLD, 28, 75, 697, "Hello Shadow Title");
            TestPdfs.show(cs, TestPdfs.HELVETICA_BOLD, 28, 72, 700, "Hello Shadow Title");
            // drawn twice in the same place, and twice a hair apart (poor man's bold)
            TestPdfs.show(cs, TestPdfs.HELVETICA, 11, 72, 650, "Overdrawn exactly once more");
            TestPdfs.show(cs, TestPdfs.HELVETICA, 11, 72, 650, "Overdrawn exactly once more");
            TestPdfs.show(cs, TestPdfs.HELVETICA, 11, 72, 630, "Bold by hand");
            TestPdfs.show(cs, TestPdfs.HELVETICA, 11, 72.4f, 630, "Bold by hand");
            // letters that really repeat stay
            TestPdfs.show(cs, TestPdfs.HELVETICA, 11, 72, 610, "Mississippi balloons, 1100 ... all");
        });
        assertEquals("Hello Shadow Title\nOverdrawn exactly once more\nBold by hand\nMississippi balloons, 1100 ... all",
                text(pdf));
    }
}
