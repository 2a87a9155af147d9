package dev.goldfinch.app.ui.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.DocumentMeta;
import dev.goldfinch.app.library.OriginalFile;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.ingest.Ingestor;
import dev.goldfinch.ingest.pdf.PageWords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PDF behind a document, opened to show its pages: a file that is still the one added opens (page sizes, a
 * passage's boxes); one that moved, changed, is locked with a password or is no PDF is refused with its one line.
 */
class PdfPageServiceTest {
    @TempDir
    Path dir;

    private final PdfPageService service = new PdfPageService();

    @AfterEach
    void close() {
        service.close();
    }

    private static Path pdf(Path file, String userPassword) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            for (String text : new String[] {"The first page holds the thistle seeds.", "The second page is A4 and holds the teasel."}) {
                PDPage page = new PDPage(text.contains("A4") ? PDRectangle.A4 : PDRectangle.LETTER);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText(text);
                    cs.endText();
                }
            }
            if (userPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-" + userPassword, userPassword, new AccessPermission());
                policy.setEncryptionKeyLength(256);
                doc.protect(policy);
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** The document as the library keeps it: the file's content hash when it was added, and where it was. */
    private static StoredDocument stored(String contentHash, Path file) {
        return new StoredDocument(7, contentHash, file.getFileName().toString(), 10, "", meta(file).toJson(), 0);
    }

    private static DocumentMeta meta(Path file) {
        return new DocumentMeta("Notes", file.toString(), "application/pdf", "page", List.of(), List.of(), false);
    }

    private String refusal(StoredDocument d, DocumentMeta meta) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> service.open(d, meta).get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof PdfPageService.Unavailable, String.valueOf(e.getCause()));
        return e.getCause().getMessage();
    }

    @Test
    void theFileTheDocumentCameFromOpensWithItsPageSizesAndAPassagesBoxes() throws Exception {
        Path file = pdf(dir.resolve("notes.pdf"), null);
        StoredDocument d = stored(Ingestor.contentHash(file), file);
        PdfPageService.Opened opened = service.open(d, meta(file)).get(30, TimeUnit.SECONDS);
        assertEquals(2, opened.pageCount());
        assertEquals(PDRectangle.LETTER.getWidth(), opened.widths()[0], 1e-3);
        assertEquals(PDRectangle.A4.getHeight(), opened.heights()[1], 1e-3);
        List<PageWords.Box> boxes = service.boxes(7, 1, "holds the teasel.").get(30, TimeUnit.SECONDS);
        assertEquals(1, boxes.size());
        assertEquals(PDRectangle.A4.getHeight() - 700, boxes.getFirst().bottom(), 4, "on the A4 page's own baseline");
        assertEquals(List.of(), service.boxes(7, 0, "holds the teasel.").get(30, TimeUnit.SECONDS), "not on the other page");
        assertTrue(OriginalFile.isPdf(meta(file)));
    }

    @Test
    void aMovedChangedLockedOrUnknownFileIsRefusedInOneLine() throws Exception {
        Path file = pdf(dir.resolve("notes.pdf"), null);
        String hash = Ingestor.contentHash(file);
        Path moved = Files.move(file, dir.resolve("moved.pdf"));
        assertEquals("the file is no longer at " + file, refusal(stored(hash, file), meta(file)));

        Files.copy(moved, file);
        Files.writeString(file, "% appended\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals("the file at " + file + " has changed since it was added", refusal(stored(hash, file), meta(file)));

        Path locked = pdf(dir.resolve("locked.pdf"), "sesame");
        assertEquals("the PDF is locked with a password, which the library does not keep",
                refusal(stored(Ingestor.contentHash(locked), locked), meta(locked)));

        DocumentMeta unknown = new DocumentMeta("Notes", null, "application/pdf", "page", List.of(), List.of(), false);
        assertEquals("the library does not know which file this document came from", refusal(stored(hash, file), unknown));

        Path notPdf = Files.writeString(dir.resolve("fake.pdf"), "this is not a PDF\n");
        String line = refusal(stored(Ingestor.contentHash(notPdf), notPdf), meta(notPdf));
        assertTrue(line.startsWith("fake.pdf cannot be read (") && !line.contains("\n"), line);
    }
}
