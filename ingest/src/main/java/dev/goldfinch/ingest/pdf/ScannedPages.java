package dev.goldfinch.ingest.pdf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;

import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.Job;

/**
 * The OCR pass: a page with no text but an image is a scan; with {@link IngestOptions#ocr()} on and tesseract
 * installed, its lines are recognised ({@link Ocr}) and put in its place, so that it goes through the running lines,
 * the joins and the page map like a page with a text layer. Also what is said of the scans afterwards: the warnings
 * and, for a PDF with no text at all, why.
 *
 * <p>Pages are rendered one after another (a PDDocument is not thread-safe), while up to
 * {@link Tesseract#parallelism()} tesseract processes run side by side. A page tesseract fails on stays empty (the first failure is kept for the
 * message); cancellation (the time limit) kills tesseract and ends the whole file.
 */
final class ScannedPages {
    private static final System.Logger LOG = System.getLogger(ScannedPages.class.getName());

    private ScannedPages() {
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

        /**
         * Why a PDF with no text layer came out without text: whether OCR was asked for, whether tesseract is
         * installed (and if not, how to get it), or what OCR made of it.
         */
        String noTextLayer() {
            String scanned = "has no text layer (it looks scanned)";
            if (!requested) {
                return scanned + ": OCR is needed; " + (installed ? "tesseract is installed, so it can be OCRed"
                        : "tesseract is not installed: " + Tesseract.HOW_TO_INSTALL);
            }
            if (!installed) {
                return scanned + ": OCR is needed, but tesseract is not installed: " + Tesseract.HOW_TO_INSTALL;
            }
            if (failure != null) {
                return scanned + " and OCR failed on it (tesseract, " + failure + ")";
            }
            return scanned + " and OCR (tesseract) recognised no text on its pages";
        }

        /**
         * The warnings of a document that has text: the pages OCR read (to be checked against the page), then the
         * {@code scanned} pages (1-based) still without text, of {@code pageCount}, and why.
         */
        List<String> warnings(List<Integer> scanned, int pageCount) {
            List<String> warnings = new ArrayList<>();
            if (!read.isEmpty()) {
                warnings.add("the text of page" + (read.size() == 1 ? " " : "s ") + ranges(read)
                        + " was recognised by OCR (tesseract): check it against the page");
            }
            if (!scanned.isEmpty()) {
                String which = "page" + (scanned.size() == 1 ? " " : "s ") + ranges(scanned);
                if (requested && installed) {
                    warnings.add("OCR found no text on " + scanned.size() + " of " + pageCount
                            + " pages without a text layer: " + which
                            + (failure == null ? "" : " (tesseract failed, " + failure + ")"));
                } else {
                    warnings.add(scanned.size() + " of " + pageCount + " pages have no text layer (scanned?), OCR is "
                            + "needed for them: " + which + (installed ? "" : " (tesseract is not installed)"));
                }
            }
            return warnings;
        }
    }

    /**
     * OCRs the pages that have an image but no text, if OCR is on and tesseract installed, putting the recognised
     * lines in their place in {@code pages}.
     */
    static OcrRun ocr(Job job, PDDocument doc, List<PageLines> pages) {
        if (!job.options.ocr()) {
            return new OcrRun(false, Tesseract.available(), List.of(), null);
        }
        if (!Tesseract.available()) {
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
            return new OcrRun(true, true, List.of(),
                    "no page: could not create a temporary folder (" + IngestException.brief(e) + ")");
        }
        int parallel = Tesseract.parallelism();
        ArrayDeque<Ocr.Running> running = new ArrayDeque<>();
        List<String> failures = new ArrayList<>();
        int done = 0;
        try {
            for (int k = 0; k <= todo.size(); k++) {
                // collect the oldest page when the pipeline is full, and every page at the end
                while (!running.isEmpty() && (running.size() >= parallel || k == todo.size())) {
                    Ocr.Running r = running.removeFirst();
                    collect(job, r, pages, read, failures);
                    done++;
                    progress(job, done, todo.size());
                }
                if (k == todo.size()) {
                    break;
                }
                int i = todo.get(k);
                job.check();
                if (k == 0) {
                    progress(job, 0, todo.size());
                }
                try {
                    running.addLast(Ocr.start(job, renderer, doc.getPage(i), i, dir));
                } catch (CancellationException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    failed(job, i, e, failures);
                    done++;
                    progress(job, done, todo.size());
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

    /** Says how far OCR is: to the caller ({@link IngestOptions#ocrPages()}) and for a time-out message. */
    private static void progress(Job job, int done, int total) {
        job.activity("OCR had read " + done + " of " + total + " scanned pages");
        job.options.ocrPages().pages(done, total);
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
        } catch (CancellationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            failed(job, i, e, failures);
        }
    }

    /** Page {@code i} (0-based) stays empty: unless the time is up, its failure is logged and kept. */
    private static void failed(Job job, int i, Exception e, List<String> failures) {
        job.check();
        LOG.log(System.Logger.Level.DEBUG, "OCR failed on page " + (i + 1) + " of " + job.file, e);
        failures.add("page " + (i + 1) + ": " + IngestException.brief(e));
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
