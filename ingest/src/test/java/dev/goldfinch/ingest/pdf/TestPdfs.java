package dev.goldfinch.ingest.pdf;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.PDType3Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.util.Matrix;

import dev.goldfinch.ingest.TestJobs;

/** Real PDFs, written with PDFBox, for the tests and the benchmark: text placed by hand, fonts, scans, encryption. */
public final class TestPdfs {
    static final PDFont HELVETICA = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    static final PDFont HELVETICA_BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    /** DejaVu Serif has the mathematical italic letters (U+1D434-1D467). */
    static final Path DEJAVU_SERIF = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
    /** TrueType fonts with Hangul: Debian's fonts-nanum (installed by .ci/test), or fonts-droid-fallback. */
    static final Path[] HANGUL_FONTS = {
        Path.of("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
        Path.of("/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"),
    };

    private TestPdfs() {
    }

    /** The pages of a PDF as {@link TextCapture} reads them: the input of the passes after it, for their tests. */
    static List<PageLines> captured(Path pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            return TextCapture.pages(TestJobs.job(pdf), doc);
        }
    }

    /** One piece of text placed on a PDF page. */
    record Text(float x, float y, float size, String text) {
        Text(float x, float y, String text) {
            this(x, y, 11, text);
        }
    }

    /** Writes a PDF; each element of {@code pages} is the text of one page, drawn in the order given. */
    static Path pdf(Path file, List<List<Text>> pages) throws IOException {
        return pdf(file, pages, null, null);
    }

    static Path pdf(Path file, List<List<Text>> pages, String title, String author) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (List<Text> texts : pages) {
                PDPage page = new PDPage(PDRectangle.LETTER);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    for (Text t : texts) {
                        show(cs, HELVETICA, t.size, t.x, t.y, t.text);
                    }
                }
            }
            if (title != null || author != null) {
                PDDocumentInformation info = doc.getDocumentInformation();
                info.setTitle(title);
                info.setAuthor(author);
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** The first of the font files that exists and has a glyph for every character of {@code text}, or null. */
    static Path fontFor(String text, Path... candidates) throws IOException {
        for (Path p : candidates) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            try (TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBufferedFile(p.toFile()))) {
                var cmap = ttf.getUnicodeCmapLookup();
                if (text.codePoints().allMatch(c -> Character.isWhitespace(c) || cmap.getGlyphId(c) != 0)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Draws one page with the given font calls. */
    interface Drawing {
        void draw(PDDocument doc, PDPageContentStream cs) throws IOException;
    }

    /** A one-page PDF drawn by {@code drawing}. */
    static Path drawnPdf(Path file, Drawing drawing) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                drawing.draw(doc, cs);
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** Shows {@code text} with its origin at (x, y). */
    static void show(PDPageContentStream cs, PDFont font, float size, float x, float y, String text)
            throws IOException {
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y);
        cs.showText(text);
        cs.endText();
    }

    static float width(PDFont font, float size, String text) throws IOException {
        return font.getStringWidth(text) / 1000 * size;
    }

    /**
     * Words placed one by one, each {@code gapEm} em after the end of the one before, with no space glyph between
     * them (as TeX and many other producers write a line). Returns where the last word ends.
     */
    static float words(PDPageContentStream cs, PDFont font, float size, float x, float y, float gapEm,
                       String... words) throws IOException {
        for (String w : words) {
            show(cs, font, size, x, y, w);
            x += width(font, size, w) + gapEm * size;
        }
        return x - gapEm * size;
    }

    /**
     * Right-to-left words as PDFs draw them: from the right end of the line leftwards, {@code gapEm} em apart, with
     * no space glyphs, each word's glyphs shown in visual order (left to right, so a Hebrew word's letters last
     * first; a number stays as it is).
     */
    static void rtlWords(PDPageContentStream cs, PDFont font, float size, float right, float y, float gapEm,
                         String... words) throws IOException {
        float x = right;
        for (String w : words) {
            boolean rtl = w.codePoints().map(Character::getDirectionality)
                    .anyMatch(d -> d == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                            || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC);
            String visual = rtl ? new StringBuilder(w).reverse().toString() : w;
            x -= width(font, size, visual);
            show(cs, font, size, x, y, visual);
            x -= gapEm * size;
        }
    }

    /**
     * A Type 3 font (each glyph a filled box, 0.5 em wide) with no ToUnicode map: codes {@code first},
     * {@code first + 1}, ... draw the glyphs named {@code names}, and the names are all there is to say what they
     * are (as in fonts made by some TeX and math typesetting tools).
     */
    static PDType3Font namedGlyphFont(PDDocument doc, int first, String... names) throws IOException {
        COSDictionary d = new COSDictionary();
        d.setItem(COSName.TYPE, COSName.FONT);
        d.setItem(COSName.SUBTYPE, COSName.getPDFName("Type3"));
        d.setItem(COSName.FONT_BBOX, new PDRectangle(0, 0, 500, 700));
        d.setItem(COSName.FONT_MATRIX, new Matrix(0.001f, 0, 0, 0.001f, 0, 0).toCOSArray());
        COSDictionary procs = new COSDictionary();
        COSArray differences = new COSArray();
        differences.add(COSInteger.get(first));
        COSArray widths = new COSArray();
        for (String name : names) {
            PDStream glyph = new PDStream(doc);
            try (OutputStream out = glyph.createOutputStream()) {
                out.write("500 0 0 0 450 600 d1 50 0 400 600 re f".getBytes(StandardCharsets.US_ASCII));
            }
            procs.setItem(name, glyph);
            differences.add(COSName.getPDFName(name));
            widths.add(COSInteger.get(500));
        }
        COSDictionary encoding = new COSDictionary();
        encoding.setItem(COSName.TYPE, COSName.ENCODING);
        encoding.setItem(COSName.DIFFERENCES, differences);
        d.setItem(COSName.CHAR_PROCS, procs);
        d.setItem(COSName.ENCODING, encoding);
        d.setInt(COSName.FIRST_CHAR, first);
        d.setInt(COSName.LAST_CHAR, first + names.length - 1);
        d.setItem(COSName.WIDTHS, widths);
        d.setItem(COSName.RESOURCES, new COSDictionary());
        return new PDType3Font(d);
    }

    /** A one-page PDF whose content stream is {@code content}, with {@code fonts} as /F1, /F2, ... */
    static Path rawPdf(Path file, String content, Function<PDDocument, PDFont[]> fonts) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            doc.addPage(page);
            PDResources resources = new PDResources();
            PDFont[] fs = fonts.apply(doc);
            for (int i = 0; i < fs.length; i++) {
                resources.put(COSName.getPDFName("F" + (i + 1)), fs[i]);
            }
            page.setResources(resources);
            PDStream stream = new PDStream(doc);
            try (OutputStream out = stream.createOutputStream()) {
                out.write(content.getBytes(StandardCharsets.ISO_8859_1));
            }
            page.setContents(stream);
            doc.save(file.toFile());
        }
        return file;
    }

    /** Lines of a single-column page, top down from y=700, 14 pt apart. */
    static List<Text> column(float x, float top, String... lines) {
        List<Text> out = new java.util.ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            out.add(new Text(x, top - 14 * i, lines[i]));
        }
        return out;
    }

    static final String[] LEFT = {
        "Left column begins the story of the river",
        "that ran through the old town every spring",
        "carrying boats full of apples and wool to",
        "the market by the stone bridge where the",
        "traders waited with silver coins and salt",
        "until the bells of the church rang noon.",
    };
    static final String[] RIGHT = {
        "Right column tells what happened later on",
        "when the bridge fell in the great flood and",
        "the town moved its market up the hill to",
        "the square by the castle gate where it is",
        "held to this day on every second Tuesday",
        "and that is where the right column ends.",
    };

    /**
     * A two-column page with a full-width title: both columns share baselines, and the content stream draws them
     * interleaved (left line 1, right line 1, ...), so neither stream order nor top-to-bottom sorting reads a
     * column through.
     */
    public static Path twoColumnPdf(Path file) throws IOException {
        List<Text> page = new java.util.ArrayList<>();
        page.add(new Text(72, 740, 16, "A Tale of Two Columns"));
        for (int i = 0; i < LEFT.length; i++) {
            page.add(new Text(72, 700 - 14 * i, 10, LEFT[i]));
            page.add(new Text(320, 700 - 14 * i, 10, RIGHT[i]));
        }
        page.add(new Text(72, 560, 10, "This closing line runs across the full width of the page, below both columns."));
        return pdf(file, List.of(page));
    }

    /** A page whose text has a word split by a line-end hyphen, and one split at a real hyphen before a capital. */
    public static Path hyphenPdf(Path file) throws IOException {
        return pdf(file, List.of(column(72, 700,
                "The committee examined the infor-",
                "mation carefully before the vote, and",
                "the delegate from Baden-",
                "Württemberg agreed with the plan.")));
    }

    /** {@code n} pages, each with the same running header, a "Page i of n" footer and distinct body text. */
    public static Path runningHeadersPdf(Path file, int n) throws IOException {
        List<List<Text>> pages = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            List<Text> page = new java.util.ArrayList<>();
            page.add(new Text(72, 760, 9, "ACME Corporation Annual Report 2024"));
            page.addAll(column(72, 700, "Body of page " + i + " talks about topic number " + i + ".",
                    "It has a second line of its own on page " + i + "."));
            page.add(new Text(280, 30, 9, "Page " + i + " of " + n));
            pages.add(page);
        }
        return pdf(file, pages);
    }

    public static Path encryptedPdf(Path file, String userPassword) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                show(cs, HELVETICA, 12, 72, 700, "The secret recipe needs three eggs.");
            }
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-" + userPassword, userPassword,
                    new AccessPermission());
            policy.setEncryptionKeyLength(256);
            doc.protect(policy);
            doc.save(file.toFile());
        }
        return file;
    }

    public static BufferedImage picture() {
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 200, 100);
        g.setColor(Color.BLACK);
        g.drawString("scanned words", 20, 50);
        g.dispose();
        return img;
    }

    /** Page 1 has text; pages 2 and 3 are only an image (as a scanner makes them) unless textPages. */
    public static Path imagePagesPdf(Path file, boolean firstPageText) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDImageXObject img = LosslessFactory.createFromImage(doc, picture());
            for (int p = 0; p < 3; p++) {
                PDPage page = new PDPage(PDRectangle.LETTER);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    if (p == 0 && firstPageText) {
                        show(cs, HELVETICA, 12, 72, 700, "Only the first page has real text on it.");
                    } else {
                        cs.drawImage(img, 50, 300, 500, 250);
                    }
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** One page of {@link #scannedPdf}: typed text (a text layer), or a picture of the text (as a scanner makes). */
    public record Page(boolean scanned, String... lines) {
        public static Page typed(String... lines) {
            return new Page(false, lines);
        }

        public static Page scan(String... lines) {
            return new Page(true, lines);
        }
    }

    /**
     * A letter-size page as a 150 dpi scan: black text, 40 px (about 19 pt) sans-serif, drawn with Java2D onto
     * white, top down from an inch below the top edge.
     */
    static BufferedImage scanImage(String... lines) {
        int w = 1275;
        int h = 1650;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 40));
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], 150, 150 + 64 * i);
        }
        g.dispose();
        return img;
    }

    /**
     * A PDF of typed and scanned pages: a scanned page's only content is a full-page image of its text (lossless,
     * or JPEG if {@code jpeg}), with no text layer.
     */
    public static Path scannedPdf(Path file, boolean jpeg, Page... pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (Page p : pages) {
                PDPage page = new PDPage(PDRectangle.LETTER);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    if (p.scanned()) {
                        BufferedImage img = scanImage(p.lines());
                        PDImageXObject x = jpeg ? JPEGFactory.createFromImage(doc, img, 0.85f)
                                : LosslessFactory.createFromImage(doc, img);
                        cs.drawImage(x, 0, 0, PDRectangle.LETTER.getWidth(), PDRectangle.LETTER.getHeight());
                    } else {
                        for (int i = 0; i < p.lines().length; i++) {
                            show(cs, HELVETICA, 11, 72, 700 - 14 * i, p.lines()[i]);
                        }
                    }
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** A PDF with ligature glyphs and odd spaces, in DejaVu Sans (a Unicode font). */
    static Path ligaturePdf(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDFont font = PDType0Font.load(doc, DEJAVU.toFile());
            PDPage page = new PDPage(PDRectangle.LETTER);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                show(cs, font, 12, 72, 700,
                        "The \uFB01nal e\uFB00ort of the o\uFB03ce\u00A0team\u2009cost 10\u00A0€.");
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /**
     * Three pages, "The first page." and "The third page." around one without a content stream at all (an A4 page
     * among Letter ones), as some producers write an empty page.
     */
    static Path contentlessPagePdf(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (String text : new String[] {"The first page.", null, "The third page."}) {
                PDPage page = new PDPage(text == null ? PDRectangle.A4 : PDRectangle.LETTER);
                doc.addPage(page);
                if (text != null) {
                    try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                        show(cs, HELVETICA, 11, 72, 700, text);
                    }
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    static Path blankPdf(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage(PDRectangle.LETTER));
            doc.save(file.toFile());
        }
        return file;
    }

    /** A many-page PDF of ordinary prose, for the benchmark and the time-limit test. */
    public static Path longPdf(Path file, int pages) throws IOException {
        return longPdf(file, pages, 1);
    }

    /**
     * A many-page PDF: a running header, 48 lines of prose per column (one or two columns; two-column pages are
     * drawn line by line across both columns, the hard case for reading order) and a page number at the bottom.
     */
    public static Path longPdf(Path file, int pages, int columns) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (int p = 1; p <= pages; p++) {
                PDPage page = new PDPage(PDRectangle.LETTER);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    show(cs, HELVETICA, 8, 72, 760, "The Long Book - a benchmark document");
                    for (int l = 0; l < 48; l++) {
                        for (int c = 0; c < columns; c++) {
                            String line = columns == 1
                                    ? "Line " + l + " of page " + p + ": the quick brown fox jumps over the lazy dog"
                                            + " while the river runs on."
                                    : "Col " + c + " line " + l + " p" + p + ": the quick brown fox jumps over it.";
                            show(cs, HELVETICA, columns == 1 ? 10 : 8, columns == 1 ? 72 : 54 + 260 * c, 720 - 13 * l,
                                    line);
                        }
                    }
                    show(cs, HELVETICA, 8, 300, 30, Integer.toString(p));
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }
}
