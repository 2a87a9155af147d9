package dev.goldfinch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        Path font = TestDocs.fontFor(text, candidates);
        assumeTrue(font != null, "needs a TrueType font with " + text + " (one of " + List.of(candidates)
                + "; Debian: fonts-dejavu-core, fonts-nanum, which .ci/test installs)");
        return font;
    }

    @Test
    void textDrawnTwiceIsReadOnce() throws IOException {
        Path pdf = TestDocs.drawnPdf(dir.resolve("slide.pdf"), (doc, cs) -> {
            // a slide title with a shadow copy 3 pt off, drawn first
            TestDocs.show(cs, TestDocs.HELVETICA_BOLD, 28, 75, 697, "Hello Shadow Title");
            TestDocs.show(cs, TestDocs.HELVETICA_BOLD, 28, 72, 700, "Hello Shadow Title");
            // drawn twice in the same place, and twice a hair apart (poor man's bold)
            TestDocs.show(cs, TestDocs.HELVETICA, 11, 72, 650, "Overdrawn exactly once more");
            TestDocs.show(cs, TestDocs.HELVETICA, 11, 72, 650, "Overdrawn exactly once more");
            TestDocs.show(cs, TestDocs.HELVETICA, 11, 72, 630, "Bold by hand");
            TestDocs.show(cs, TestDocs.HELVETICA, 11, 72.4f, 630, "Bold by hand");
            // letters that really repeat stay
            TestDocs.show(cs, TestDocs.HELVETICA, 11, 72, 610, "Mississippi balloons, 1100 ... all");
        });
        assertEquals("Hello Shadow Title\nOverdrawn exactly once more\nBold by hand\nMississippi balloons, 1100 ... all",
                text(pdf));
    }
}
