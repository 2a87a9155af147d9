package dev.goldfinch.ingest.pdf;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDSimpleFont;
import org.apache.pdfbox.pdmodel.font.PDType3Font;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

import dev.goldfinch.ingest.Job;

/**
 * The text layer of every page, as {@link PageLines}: a PDFTextStripper that records each page's lines with their
 * position instead of writing text. PDFTextStripper decides which glyphs make a line and where paragraphs start; the
 * line's text is built from its glyphs by {@link LineText}, after {@link Overprint} has dropped copies drawn over the
 * page's text and {@link PdfLayout} has put the regions in reading order. A page without text is looked at for
 * images, so that the OCR pass ({@link ScannedPages}) knows a scan from a blank page.
 */
final class TextCapture extends PDFTextStripper {
    private static final System.Logger LOG = System.getLogger(TextCapture.class.getName());
    private final List<PageLines> pages = new ArrayList<>();
    private final Job job;
    private List<Line> lines;
    private List<TextPosition> cur;
    private int region;
    private boolean paragraphNext;
    private float height;
    /** Text for the glyphs whose font has no Unicode for them but whose glyph name says it. */
    private final Map<TextPosition, String> named = new IdentityHashMap<>();
    private final Map<PDFont, Float> spaceWidths = new IdentityHashMap<>();

    private TextCapture(Job job) {
        this.job = job;
    }

    /** The lines of every page of {@code doc}, in page order; the job's cancel flag is polled at every page. */
    static List<PageLines> pages(Job job, PDDocument doc) throws IOException {
        TextCapture capture = new TextCapture(job);
        capture.setSortByPosition(true);
        capture.setShouldSeparateByBeads(false);
        // Overprint drops copies drawn over the text, also those PDFBox's own test misses (a shifted shadow)
        capture.setSuppressDuplicateOverlappingText(false);
        capture.writeText(doc, Writer.nullWriter());
        return capture.pages;
    }

    /**
     * Gives every page its place first, empty: PDFTextStripper skips a page without a content stream (an empty page
     * as some producers write it), and the list must still hold one entry per page, or every page after it would
     * move up one in the page map.
     */
    @Override
    protected void startDocument(PDDocument document) {
        for (PDPage page : document.getPages()) {
            pages.add(new PageLines(new ArrayList<>(), shownHeight(page), false));
        }
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
        job.check();
        lines = new ArrayList<>();
        cur = null;
        region = -1;
        paragraphNext = false;
        named.clear();
        height = shownHeight(page);
    }

    /** The page's height as it is shown: its crop box, turned by its rotation. */
    private static float shownHeight(PDPage page) {
        PDRectangle box = page.getCropBox();
        return page.getRotation() % 180 == 0 ? box.getHeight() : box.getWidth();
    }

    /**
     * Collects the page's glyphs. Not PDFTextStripper's own: it merges an accent into the glyph drawn just
     * before it whenever the two overlap by 15%, often the wrong letter; {@link Marks} joins accents by where
     * they are drawn instead. (Its test for duplicates is off too, see {@link Overprint}.)
     */
    @Override
    protected void processTextPosition(TextPosition text) {
        String u = fromGlyphName(text);
        if (u != null) {
            named.put(text, u);
        }
        charactersByArticle.getFirst().add(text);
    }

    /**
     * For a simple font without a ToUnicode map whose encoding gives no Unicode for the code (PDFBox then uses
     * the code itself as the character), what the glyph's name says, if anything (see {@link GlyphNames}).
     */
    private static String fromGlyphName(TextPosition text) {
        if (!(text.getFont() instanceof PDSimpleFont font) || text.getCharacterCodes().length != 1
                || font.getCOSObject().containsKey(COSName.TO_UNICODE)) {
            return null;
        }
        int code = text.getCharacterCodes()[0];
        try {
            if (font.toUnicode(code) != null || font.getEncoding() == null) {
                return null;
            }
            return GlyphNames.toUnicode(font.getEncoding().getName(code));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private PdfGlyph glyph(TextPosition tp) {
        String text = named.getOrDefault(tp, tp.getUnicode());
        float size = Math.abs(tp.getYScale());
        if (!(size > 0) || Float.isInfinite(size)) {
            size = tp.getFontSizeInPt() > 0 ? tp.getFontSizeInPt() : Math.max(1f, tp.getHeightDir() * 1.4f);
        }
        return new PdfGlyph(text == null ? "" : text, tp.getXDirAdj(), Math.max(0f, tp.getWidthDirAdj()),
                tp.getYDirAdj(), size, spaceEm(tp.getFont()), tp);
    }

    /** The width of the font's space in em, if it has a space (a simple font's code 32), else NaN. */
    private float spaceEm(PDFont font) {
        if (font == null) {
            return Float.NaN;
        }
        return spaceWidths.computeIfAbsent(font, f -> {
            try {
                if (f instanceof PDSimpleFont && !(f instanceof PDType3Font) && " ".equals(f.toUnicode(32))) {
                    float w = f.getWidth(32) / 1000f;
                    return w > 0 ? w : Float.NaN;
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "no space width for font " + f.getName(), e);
            }
            return Float.NaN;
        });
    }

    @Override
    protected void writePage() throws IOException {
        List<PdfGlyph> drawn = new ArrayList<>();
        for (List<TextPosition> article : charactersByArticle) {
            for (TextPosition tp : article) {
                drawn.add(glyph(tp));
            }
        }
        List<TextPosition> kept = new ArrayList<>(drawn.size());
        for (PdfGlyph g : Overprint.keep(drawn)) {
            kept.add(g.source());
        }
        List<List<TextPosition>> regions = PdfLayout.regions(kept);
        charactersByArticle.clear();
        for (List<TextPosition> r : regions) {
            charactersByArticle.add(new ArrayList<>(r));
        }
        try {
            super.writePage();
        } finally {
            charactersByArticle.clear();
            charactersByArticle.add(new ArrayList<>());
        }
    }

    @Override
    protected void startArticle(boolean isLTR) {
        endLine();
        region++;
    }

    @Override
    protected void endArticle() {
        endLine();
    }

    @Override
    protected void writeParagraphStart() {
        endLine();
        paragraphNext = true;
    }

    @Override
    protected void writeParagraphEnd() {
        endLine();
    }

    @Override
    protected void writeLineSeparator() {
        endLine();
    }

    @Override
    protected void writeWordSeparator() {
        // LineText finds the words itself, from the gaps between glyphs
    }

    @Override
    protected void writeString(String text, List<TextPosition> positions) {
        if (cur == null) {
            cur = new ArrayList<>();
        }
        cur.addAll(positions);
    }

    @Override
    protected void writeString(String text) {
        // page, paragraph and article markers: not wanted
    }

    private void endLine() {
        if (cur != null && lines != null && !cur.isEmpty()) {
            List<PdfGlyph> glyphs = new ArrayList<>(cur.size());
            float top = Float.MAX_VALUE;
            float bottom = -Float.MAX_VALUE;
            for (TextPosition tp : cur) {
                glyphs.add(glyph(tp));
                top = Math.min(top, tp.getYDirAdj() - tp.getHeightDir());
                bottom = Math.max(bottom, tp.getYDirAdj());
            }
            String text = LineText.text(glyphs);
            if (!text.isBlank()) {
                lines.add(new Line(text, Math.max(0, region), top, bottom, paragraphNext));
                paragraphNext = false;
            }
        }
        cur = null;
    }

    @Override
    protected void endPage(PDPage page) {
        endLine();
        boolean images = lines.isEmpty() && hasImages(page.getResources(), 0);
        pages.set(getCurrentPageNo() - 1, new PageLines(lines, height, images));
        lines = null;
    }

    /** True if the page draws an image (directly or inside a form XObject). */
    private static boolean hasImages(PDResources resources, int depth) {
        if (resources == null || depth > 4) {
            return false;
        }
        try {
            for (COSName name : resources.getXObjectNames()) {
                PDXObject x = resources.getXObject(name);
                if (x instanceof PDImageXObject) {
                    return true;
                }
                if (x instanceof PDFormXObject form && hasImages(form.getResources(), depth + 1)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not inspect page resources", e);
        }
        return false;
    }
}
