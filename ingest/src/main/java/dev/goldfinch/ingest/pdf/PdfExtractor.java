package dev.goldfinch.ingest.pdf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.PDFRenderer;

import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Job;
import dev.goldfinch.ingest.LanguageGuesser;
import dev.goldfinch.ingest.PageSpan;
import dev.goldfinch.ingest.TextNormalizer;

/**
 * PDF with PDFBox: per-page text in reading order (see {@link PdfLayout}), each line's text made from its glyphs
 * ({@link LineText}), words split by a line-end hyphen joined, running headers and footers that repeat on most pages
 * left out of the text ({@link RunningLines}; recorded in {@link PageSpan#dropped()}), characters normalised by
 * {@link TextNormalizer}.
 *
 * <p><b>Scanned pages.</b> A page with no text but an image is scanned. With {@link IngestOptions#ocr()} on and
 * tesseract installed, such pages are OCRed ({@link Ocr}) and their text takes their place in the page map;
 * otherwise they stay empty, with a warning, and a PDF with no text at all fails with
 * {@link IngestException.Reason#NO_TEXT_LAYER}.
 */
public final class PdfExtractor {
    private static final System.Logger LOG = System.getLogger(PdfExtractor.class.getName());

    private PdfExtractor() {
    }

    /**
     * What OCR did to a document's scanned pages.
     *
     * @param requested OCR was asked for ({@link IngestOptions#ocr()})
     * @param installed tesseract is installed
     * @param read      pages (1-based) whose text came from OCR
     * @param failure   the first failure of tesseract on a page, or null
     */
    record OcrRun(boolean requested, boolean installed, List<Integer> read, String failure) {
    }

    public static IngestedDocument extract(Job job, String hash) {
        try (PDDocument doc = PdfOpener.open(job)) {
            int n = doc.getNumberOfPages();
            if (n == 0) {
                throw job.fail(IngestException.Reason.EMPTY, "has no pages");
            }
            List<PageLines> pages = TextCapture.pages(job, doc);
            OcrRun ocr = ocrScannedPages(job, doc, pages);
            String[] labels = PageLabels.of(doc);
            return assemble(job, hash, doc, pages, labels, ocr);
        } catch (IngestException e) {
            throw e;
        } catch (InvalidPasswordException e) {
            throw job.fail(IngestException.Reason.WRONG_PASSWORD, "could not be opened with the password given", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.util.concurrent.CancellationException c) {
                throw c;
            }
            throw job.fail(IngestException.Reason.CORRUPT, "is damaged and could not be read (" + IngestException.brief(e) + ")", e);
        }
    }

    /**
     * OCRs the pages that have an image but no text, if OCR is on and tesseract installed, putting the recognised
     * lines in their place in {@code pages}. A page tesseract fails on stays empty (the first failure is kept);
     * cancellation (the time limit) kills tesseract and ends the whole file.
     */
    private static OcrRun ocrScannedPages(Job job, PDDocument doc, List<PageLines> pages) {
        if (!job.options.ocr()) {
            return new OcrRun(false, Ocr.available(), List.of(), null);
        }
        if (!Ocr.available()) {
            return new OcrRun(true, false, List.of(), null);
        }
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i).lines().isEmpty() && pages.get(i).hasImages()) {
                todo.add(i);
            }
        }
        if (todo.isEmpty()) {
            return new OcrRun(true, true, List.of(), null);
        }
        List<Integer> read = new ArrayList<>();
        PDFRenderer renderer = new PDFRenderer(doc);
        Path dir;
        try {
            dir = Files.createTempDirectory("goldfinch-ocr");
        } catch (IOException e) {
            return new OcrRun(true, true, List.of(), "no page: could not create a temporary folder (" + IngestException.brief(e) + ")");
        }
        int parallel = Ocr.parallelism();
        java.util.ArrayDeque<Ocr.Running> running = new java.util.ArrayDeque<>();
        List<String> failures = new ArrayList<>();
        int done = 0;
        try {
            for (int k = 0; k <= todo.size(); k++) {
                // collect the oldest page when the pipeline is full, and every page at the end
                while (!running.isEmpty() && (running.size() >= parallel || k == todo.size())) {
                    Ocr.Running r = running.removeFirst();
                    collect(job, r, pages, read, failures);
                    done++;
                    job.activity("OCR had read " + done + " of " + todo.size() + " scanned pages");
                }
                if (k == todo.size()) {
                    break;
                }
                int i = todo.get(k);
                job.check();
                if (k == 0) {
                    job.activity("OCR had read 0 of " + todo.size() + " scanned pages");
                }
                try {
                    running.addLast(Ocr.start(job, renderer, doc.getPage(i), i, dir));
                } catch (java.util.concurrent.CancellationException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    job.check();
                    LOG.log(System.Logger.Level.DEBUG, "OCR failed on page " + (i + 1) + " of " + job.file, e);
                    failures.add("page " + (i + 1) + ": " + IngestException.brief(e));
                    done++;
                }
            }
        } finally {
            running.forEach(Ocr.Running::discard);
            deleteTree(dir);
        }
        job.activity(null);
        read.sort(null);
        String failure = failures.isEmpty() ? null : failures.getFirst();
        return new OcrRun(true, true, read, failure);
    }

    /** Waits for one page's OCR and puts its lines in place of the page's (none). */
    private static void collect(Job job, Ocr.Running r, List<PageLines> pages, List<Integer> read,
                                List<String> failures) {
        int i = r.index;
        try {
            Ocr.PageText t = r.finish();
            LOG.log(System.Logger.Level.DEBUG, () -> job.name() + " page " + (i + 1) + ": rendered at "
                    + Math.round(t.dpi()) + " dpi in " + t.renderMillis() + " ms, OCR " + t.ocrMillis() + " ms, "
                    + t.lines().size() + " lines");
            if (!t.lines().isEmpty()) {
                pages.set(i, new PageLines(t.lines(), pages.get(i).height(), true));
                read.add(i + 1);
            }
        } catch (java.util.concurrent.CancellationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            job.check();
            LOG.log(System.Logger.Level.DEBUG, "OCR failed on page " + (i + 1) + " of " + job.file, e);
            failures.add("page " + (i + 1) + ": " + IngestException.brief(e));
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not delete " + dir, e);
        }
    }

    private static IngestedDocument assemble(Job job, String hash, PDDocument doc, List<PageLines> pages,
                                             String[] labels, OcrRun ocr) {
        RunningLines.Split split = RunningLines.split(pages);
        List<List<Line>> keptLines = split.kept();
        StringBuilder text = new StringBuilder();
        int[] starts = new int[pages.size()];
        LineJoins.acrossPages(keptLines);
        List<Integer> scanned = new ArrayList<>();
        int textPages = 0;
        for (int p = 0; p < pages.size(); p++) {
            PageLines page = pages.get(p);
            String body = LineJoins.pageText(keptLines.get(p));
            if (!body.isBlank()) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                textPages++;
            } else if (page.hasImages()) {
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
            spans.add(new PageSpan(p + 1, starts[p], end, labels[p], split.dropped().get(p)));
        }
        List<String> warnings = new ArrayList<>();
        if (textPages == 0) {
            if (!scanned.isEmpty()) {
                throw job.fail(IngestException.Reason.NO_TEXT_LAYER, noTextLayer(ocr));
            }
            throw job.fail(IngestException.Reason.EMPTY, "contains no text");
        }
        if (!ocr.read.isEmpty()) {
            warnings.add("the text of page" + (ocr.read.size() == 1 ? " " : "s ") + ranges(ocr.read)
                    + " was recognised by OCR (tesseract): check it against the page");
        }
        if (!scanned.isEmpty()) {
            String which = "page" + (scanned.size() == 1 ? " " : "s ") + ranges(scanned);
            if (ocr.requested && ocr.installed) {
                warnings.add("OCR found no text on " + scanned.size() + " of " + pages.size()
                        + " pages without a text layer: " + which
                        + (ocr.failure == null ? "" : " (tesseract failed, " + ocr.failure + ")"));
            } else {
                warnings.add(scanned.size() + " of " + pages.size() + " pages have no text layer (scanned?), OCR is "
                        + "needed for them: " + which + (ocr.installed ? "" : " (tesseract is not installed)"));
            }
        }
        if (split.warning() != null) {
            warnings.add(split.warning());
        }
        PDDocumentInformation info = doc.getDocumentInformation();
        PDDocumentCatalog catalog = doc.getDocumentCatalog();
        String title = TextNormalizer.blankToNull(info == null ? null : info.getTitle());
        String author = TextNormalizer.blankToNull(info == null ? null : info.getAuthor());
        String language = LanguageGuesser.isoCode(catalog.getLanguage());
        String all = text.toString();
        if (language == null) {
            language = LanguageGuesser.guess(all);
        }
        return new IngestedDocument(all, IngestedDocument.Unit.PAGE, spans, title, author, language, null,
                "application/pdf", hash, warnings);
    }

    /**
     * Why a PDF with no text layer came out without text. The wording "tesseract is installed" (OCR was off but is
     * possible) is what the command line looks for to suggest {@code --ocr}.
     */
    static String noTextLayer(OcrRun ocr) {
        String scanned = "has no text layer (it looks scanned)";
        if (!ocr.requested) {
            return scanned + ": OCR is needed; " + (ocr.installed ? "tesseract is installed, so it can be OCRed"
                    : "install tesseract to OCR it");
        }
        if (!ocr.installed) {
            return scanned + ": OCR is needed, but tesseract is not installed; install it to OCR this file";
        }
        if (ocr.failure != null) {
            return scanned + " and OCR failed on it (tesseract, " + ocr.failure + ")";
        }
        return scanned + " and OCR (tesseract) recognised no text on its pages";
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
}
