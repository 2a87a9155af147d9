package dev.goldfinch.ingest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDPageLabels;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDF with PDFBox: per-page text in reading order (see {@link PdfLayout}), words split by a line-end hyphen joined,
 * running headers and footers that repeat on most pages left out of the text (and recorded in
 * {@link PageSpan#dropped()}), characters normalised by {@link TextNormalizer}.
 */
final class PdfExtractor {
    private static final System.Logger LOG = System.getLogger(PdfExtractor.class.getName());
    /** Decoded streams above this go to a temporary file, keeping the heap bounded on big documents. */
    private static final long MAX_MAIN_MEMORY = 16L << 20;
    private static final Pattern ROMAN = Pattern.compile("[ivxlcdm]+");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private PdfExtractor() {
    }

    /** One line of a page as PDFBox built it, with where it sits. */
    record Line(String text, int region, float top, float bottom, boolean paragraphStart) {
    }

    record PageLines(List<Line> lines, float height, boolean hasImages) {
    }

    static IngestedDocument extract(Job job, String hash) {
        checkComplete(job);
        try (PDDocument doc = open(job)) {
            int n = doc.getNumberOfPages();
            if (n == 0) {
                throw job.fail(IngestException.Reason.EMPTY, "has no pages");
            }
            Capture capture = new Capture(job);
            capture.setSortByPosition(true);
            capture.setShouldSeparateByBeads(false);
            capture.setSuppressDuplicateOverlappingText(true);
            capture.writeText(doc, Writer.nullWriter());
            List<PageLines> pages = capture.pages;
            String[] labels = pageLabels(doc, n);
            return assemble(job, hash, doc, pages, labels);
        } catch (IngestException e) {
            throw e;
        } catch (InvalidPasswordException e) {
            throw job.fail(IngestException.Reason.WRONG_PASSWORD, "could not be opened with the password given", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.util.concurrent.CancellationException c) {
                throw c;
            }
            throw job.fail(IngestException.Reason.CORRUPT, "is damaged and could not be read (" + brief(e) + ")", e);
        }
    }

    /** A PDF ends with %%EOF (possibly followed by a little junk); without it, the file was cut short. */
    private static void checkComplete(Job job) {
        try (RandomAccessFile raf = new RandomAccessFile(job.file.toFile(), "r")) {
            long len = raf.length();
            int tail = (int) Math.min(len, 16 * 1024);
            byte[] buf = new byte[tail];
            raf.seek(len - tail);
            raf.readFully(buf);
            String s = new String(buf, StandardCharsets.ISO_8859_1);
            if (!s.contains("%%EOF")) {
                throw job.fail(IngestException.Reason.CORRUPT,
                        "is truncated or damaged: it does not end like a PDF (an incomplete download?)");
            }
        } catch (IOException e) {
            throw job.fail(IngestException.Reason.CORRUPT, "could not be read (" + brief(e) + ")", e);
        }
    }

    private static PDDocument open(Job job) throws IOException {
        var cache = MemoryUsageSetting.setupMixed(MAX_MAIN_MEMORY).streamCache;
        try {
            return Loader.loadPDF(job.file.toFile(), "", cache);
        } catch (InvalidPasswordException e) {
            String password = job.options.passwords().passwordFor(job.file);
            if (password == null) {
                throw job.fail(IngestException.Reason.ENCRYPTED, "is password-protected: a password is needed to open it");
            }
            try {
                return Loader.loadPDF(job.file.toFile(), password, cache);
            } catch (InvalidPasswordException wrong) {
                throw job.fail(IngestException.Reason.WRONG_PASSWORD, "is password-protected and the password given is wrong");
            }
        }
    }

    static String brief(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        m = IngestException.oneLine(m);
        return m.length() > 120 ? m.substring(0, 117) + "..." : m;
    }

    private static String[] pageLabels(PDDocument doc, int n) {
        String[] out = new String[n];
        try {
            PDPageLabels labels = doc.getDocumentCatalog().getPageLabels();
            if (labels != null) {
                String[] byIndex = labels.getLabelsByPageIndices();
                for (int i = 0; i < n && i < byIndex.length; i++) {
                    out[i] = byIndex[i] == null || byIndex[i].isBlank() ? null : byIndex[i];
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring unreadable page labels", e);
        }
        for (int i = 0; i < n; i++) {
            if (out[i] == null) {
                out[i] = Integer.toString(i + 1);
            }
        }
        return out;
    }

    private static IngestedDocument assemble(Job job, String hash, PDDocument doc, List<PageLines> pages,
                                             String[] labels) {
        Map<Line, String> running = runningLines(pages);
        StringBuilder text = new StringBuilder();
        int[] starts = new int[pages.size()];
        List<List<String>> dropped = new ArrayList<>(pages.size());
        List<Integer> scanned = new ArrayList<>();
        int textPages = 0;
        for (int p = 0; p < pages.size(); p++) {
            PageLines page = pages.get(p);
            List<String> drop = new ArrayList<>();
            List<Line> kept = new ArrayList<>();
            for (Line l : page.lines) {
                if (running.containsKey(l)) {
                    drop.add(TextNormalizer.normalize(l.text.strip()));
                } else {
                    kept.add(l);
                }
            }
            dropped.add(drop);
            String body = joinLines(kept);
            if (!body.isBlank()) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                textPages++;
            } else if (page.hasImages) {
                scanned.add(p + 1);
            }
            starts[p] = text.length();
            if (!body.isBlank()) {
                text.append(body);
                job.addChars(body.length());
            }
        }
        List<PageSpan> spans = new ArrayList<>(pages.size());
        for (int p = 0; p < pages.size(); p++) {
            int end = p + 1 < pages.size() ? starts[p + 1] : text.length();
            spans.add(new PageSpan(p + 1, starts[p], end, labels[p], dropped.get(p)));
        }
        List<String> warnings = new ArrayList<>();
        if (textPages == 0) {
            if (!scanned.isEmpty()) {
                throw job.fail(IngestException.Reason.NO_TEXT_LAYER, "has no text layer (it looks scanned): OCR is needed"
                        + (Ocr.available() ? "; tesseract is installed, so it can be OCRed through Tika"
                                : "; install tesseract to OCR it"));
            }
            throw job.fail(IngestException.Reason.EMPTY, "contains no text");
        }
        if (!scanned.isEmpty()) {
            warnings.add(scanned.size() + " of " + pages.size() + " pages have no text layer (scanned?), OCR is needed"
                    + " for them: page" + (scanned.size() == 1 ? " " : "s ") + ranges(scanned));
        }
        int droppedCount = dropped.stream().mapToInt(List::size).sum();
        if (droppedCount > 0) {
            String example = running.values().stream().max(java.util.Comparator.comparingInt(String::length)
                    .thenComparing(java.util.Comparator.naturalOrder())).orElse("");
            warnings.add("left out " + droppedCount + " running header/footer lines repeated on most pages (e.g. \""
                    + shorten(example) + "\")");
        }
        PDDocumentInformation info = doc.getDocumentInformation();
        PDDocumentCatalog catalog = doc.getDocumentCatalog();
        String title = blankToNull(info == null ? null : info.getTitle());
        String author = blankToNull(info == null ? null : info.getAuthor());
        String language = LanguageGuesser.isoCode(catalog.getLanguage());
        String all = text.toString();
        if (language == null) {
            language = LanguageGuesser.guess(all);
        }
        return new IngestedDocument(all, IngestedDocument.Unit.PAGE, spans, title, author, language, null,
                "application/pdf", hash, warnings);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = TextNormalizer.normalize(s).strip();
        return t.isEmpty() ? null : t;
    }

    /** "3, 5-7, 10" */
    static String ranges(List<Integer> pages) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < pages.size()) {
            int j = i;
            while (j + 1 < pages.size() && pages.get(j + 1) == pages.get(j) + 1) {
                j++;
            }
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(pages.get(i));
            if (j > i) {
                sb.append('-').append(pages.get(j));
            }
            if (sb.length() > 80) {
                sb.append(", ...");
                break;
            }
            i = j + 1;
        }
        return sb.toString();
    }

    /**
     * Lines among the two topmost (in the top fifth of the page) or the two bottommost (in the bottom fifth) whose
     * text repeats on at least 40% of the pages with text, and on at least 3. Short lines (up to five words) match
     * with their digits masked, so "Page 3 of 9" matches "Page 4 of 9"; longer lines must match exactly, so body
     * text that merely differs in a number is never taken for a running header. Maps each such line to its text.
     */
    static Map<Line, String> runningLines(List<PageLines> pages) {
        Map<Line, String> out = new IdentityHashMap<>();
        int withText = 0;
        for (PageLines p : pages) {
            if (!p.lines.isEmpty()) {
                withText++;
            }
        }
        if (withText < 3) {
            return out;
        }
        Map<String, Set<Integer>> pagesByKey = new HashMap<>();
        List<Map<Line, String>> candidates = new ArrayList<>(pages.size());
        for (int i = 0; i < pages.size(); i++) {
            PageLines p = pages.get(i);
            Map<Line, String> cands = new IdentityHashMap<>();
            candidates.add(cands);
            if (p.lines.isEmpty()) {
                continue;
            }
            List<Line> byTop = new ArrayList<>(p.lines);
            byTop.sort((a, b) -> Float.compare(a.top, b.top));
            float h = p.height > 0 ? p.height : byTop.getLast().bottom;
            for (int k = 0; k < Math.min(2, byTop.size()); k++) {
                Line l = byTop.get(k);
                if (l.top < 0.2f * h) {
                    cands.put(l, "top:" + key(l.text));
                }
            }
            for (int k = byTop.size() - 1; k >= Math.max(0, byTop.size() - 2); k--) {
                Line l = byTop.get(k);
                if (l.bottom > 0.8f * h && !cands.containsKey(l)) {
                    cands.put(l, "bottom:" + key(l.text));
                }
            }
            for (String k : cands.values()) {
                if (!k.endsWith(":")) {
                    pagesByKey.computeIfAbsent(k, x -> new HashSet<>()).add(i);
                }
            }
        }
        int needed = Math.max(3, (int) Math.ceil(0.4 * withText));
        for (Map<Line, String> cands : candidates) {
            for (Map.Entry<Line, String> e : cands.entrySet()) {
                Set<Integer> on = pagesByKey.get(e.getValue());
                if (on != null && on.size() >= needed) {
                    out.put(e.getKey(), TextNormalizer.normalize(e.getKey().text.strip()));
                }
            }
        }
        return out;
    }

    static String key(String line) {
        String s = SPACES.matcher(line.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
        if (ROMAN.matcher(s).matches()) {
            return "#";
        }
        if (s.split(" ").length > 5) {
            return s;
        }
        return DIGITS.matcher(s).replaceAll("#");
    }

    /**
     * Joins a page's lines: a newline between lines, a blank line before a new paragraph, and a word split by a
     * line-end hyphen ("infor-" + "mation") put back together when the next line goes on in lower case.
     */
    static String joinLines(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        String pending = null;
        boolean pendingPara = false;
        for (Line l : lines) {
            String cur = l.text.strip();
            if (cur.isEmpty()) {
                continue;
            }
            if (pending != null && TextNormalizer.endsWithBreakHyphen(pending)) {
                char hyphen = pending.charAt(pending.length() - 1);
                char first = cur.charAt(0);
                if (Character.isLowerCase(first) || hyphen == '\u00ad' && Character.isLetter(first)) {
                    int sp = 0;
                    while (sp < cur.length() && !Character.isWhitespace(cur.charAt(sp))) {
                        sp++;
                    }
                    pending = pending.substring(0, pending.length() - 1) + cur.substring(0, sp);
                    cur = cur.substring(sp).strip();
                    if (cur.isEmpty()) {
                        continue;
                    }
                }
            }
            if (pending != null) {
                appendLine(sb, pending, pendingPara);
            }
            pending = cur;
            pendingPara = l.paragraphStart;
        }
        if (pending != null) {
            appendLine(sb, pending, pendingPara);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String line, boolean paragraph) {
        String norm = TextNormalizer.normalize(line).strip();
        if (norm.isEmpty()) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(paragraph ? "\n\n" : "\n");
        }
        sb.append(norm);
    }

    /** True if the page draws an image (directly or inside a form XObject). */
    static boolean hasImages(PDResources resources, int depth) {
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

    /** PDFTextStripper that records each page's lines with their position instead of writing text. */
    private static final class Capture extends PDFTextStripper {
        final List<PageLines> pages = new ArrayList<>();
        private final Job job;
        private List<Line> lines;
        private StringBuilder cur;
        private float top;
        private float bottom;
        private int region;
        private boolean paragraphNext;
        private float height;

        Capture(Job job) {
            this.job = job;
        }

        @Override
        protected void startPage(PDPage page) throws IOException {
            job.check();
            lines = new ArrayList<>();
            cur = null;
            region = -1;
            paragraphNext = false;
            PDRectangle box = page.getCropBox();
            height = page.getRotation() % 180 == 0 ? box.getHeight() : box.getWidth();
        }

        @Override
        protected void writePage() throws IOException {
            List<TextPosition> all = new ArrayList<>();
            for (List<TextPosition> article : charactersByArticle) {
                all.addAll(article);
            }
            List<List<TextPosition>> regions = PdfLayout.regions(all);
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
            if (cur != null) {
                cur.append(' ');
            }
        }

        @Override
        protected void writeString(String text, List<TextPosition> positions) {
            if (cur == null) {
                cur = new StringBuilder();
                top = Float.MAX_VALUE;
                bottom = -Float.MAX_VALUE;
            }
            cur.append(text);
            for (TextPosition tp : positions) {
                top = Math.min(top, tp.getYDirAdj() - tp.getHeightDir());
                bottom = Math.max(bottom, tp.getYDirAdj());
            }
        }

        @Override
        protected void writeString(String text) {
            // page, paragraph and article markers: not wanted
        }

        private void endLine() {
            if (cur != null && lines != null) {
                if (!cur.toString().isBlank()) {
                    lines.add(new Line(cur.toString(), Math.max(0, region), top, bottom, paragraphNext));
                    paragraphNext = false;
                }
                cur = null;
            }
        }

        @Override
        protected void endPage(PDPage page) {
            endLine();
            boolean images = lines.isEmpty() && hasImages(page.getResources(), 0);
            pages.add(new PageLines(lines, height, images));
            lines = null;
        }
    }
}
