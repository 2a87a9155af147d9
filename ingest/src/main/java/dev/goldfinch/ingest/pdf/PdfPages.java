package dev.goldfinch.ingest.pdf;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import dev.goldfinch.ingest.IngestException;

/**
 * A PDF opened to be shown page by page: each page rendered to an image and the places of a passage's words on it
 * ({@link PageWords}). Not thread-safe (PDFBox's document is not): one thread at a time, the viewer's own.
 */
public final class PdfPages implements AutoCloseable {
    /** Decoded streams above this go to a temporary file, as when the PDF was read. */
    private static final long MAX_MAIN_MEMORY = 16L << 20;

    private final PDDocument doc;
    private final PDFRenderer renderer;

    private PdfPages(PDDocument doc) {
        this.doc = doc;
        this.renderer = new PDFRenderer(doc);
    }

    /**
     * Opens {@code file}; {@code password} may be null.
     *
     * @throws IngestException {@link IngestException.Reason#ENCRYPTED} when it is locked and no password is given,
     *                         {@link IngestException.Reason#WRONG_PASSWORD} for a wrong one,
     *                         {@link IngestException.Reason#CORRUPT} when PDFBox cannot read it
     */
    public static PdfPages open(Path file, String password) {
        var cache = MemoryUsageSetting.setupMixed(MAX_MAIN_MEMORY).streamCache;
        try {
            return new PdfPages(Loader.loadPDF(file.toFile(), password == null ? "" : password, cache));
        } catch (InvalidPasswordException e) {
            throw password == null
                    ? new IngestException(IngestException.Reason.ENCRYPTED, file, file.getFileName() + " is locked with a password")
                    : new IngestException(IngestException.Reason.WRONG_PASSWORD, file, file.getFileName() + ": the password is wrong");
        } catch (IOException e) {
            throw new IngestException(IngestException.Reason.CORRUPT, file, file.getFileName() + " cannot be read (" + IngestException.brief(e) + ")", e);
        }
    }

    public int pageCount() {
        return doc.getNumberOfPages();
    }

    /** The width of page {@code index} (from 0) as shown, in points: its crop box, turned by its rotation. */
    public float width(int index) {
        PDPage p = doc.getPage(index);
        PDRectangle box = p.getCropBox();
        return p.getRotation() % 180 == 0 ? box.getWidth() : box.getHeight();
    }

    /** The height of page {@code index} as shown, in points. */
    public float height(int index) {
        PDPage p = doc.getPage(index);
        PDRectangle box = p.getCropBox();
        return p.getRotation() % 180 == 0 ? box.getHeight() : box.getWidth();
    }

    /** Page {@code index} rendered at {@code dpi} (72 is one pixel a point). */
    public BufferedImage render(int index, float dpi) throws IOException {
        return renderer.renderImageWithDPI(index, dpi, ImageType.RGB);
    }

    /** The glyphs of page {@code index}, to find a passage's words on it. */
    public PageWords words(int index) throws IOException {
        return PageWords.of(doc, index);
    }

    @Override
    public void close() throws IOException {
        doc.close();
    }
}
