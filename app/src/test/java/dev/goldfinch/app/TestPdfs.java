package dev.goldfinch.app;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Real PDFs written with PDFBox for the tests: one line of Helvetica a page. */
public final class TestPdfs {
    private TestPdfs() {
    }

    /** A PDF of one page a text; {@code title} (or null) is its document information's title. */
    public static Path write(Path file, String title, String... pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            if (title != null) doc.getDocumentInformation().setTitle(title);
            for (String text : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText(text);
                    cs.endText();
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }
}
