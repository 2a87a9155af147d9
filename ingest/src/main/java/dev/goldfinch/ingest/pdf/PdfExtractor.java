package dev.goldfinch.ingest.pdf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Job;
import dev.goldfinch.ingest.LanguageGuesser;
import dev.goldfinch.ingest.PageSpan;
import dev.goldfinch.ingest.TextNormalizer;

/**
 * A PDF's text and page map, made by passes that each do one thing; this class only runs them, in this order:
 * <ol>
 * <li>{@link PdfOpener}: open the file, with the password asked for if it is encrypted;</li>
 * <li>{@link TextCapture}: each page's lines in reading order ({@link PdfLayout}), each line's text made from its
 *     glyphs ({@link LineText});</li>
 * <li>{@link ScannedPages}: OCR of the pages that are only an image, when asked ({@link IngestOptions#ocr()});</li>
 * <li>{@link PageLabels}: how a reader names each page;</li>
 * <li>{@link RunningLines}: headers and footers repeated on most pages, left out of the text but kept in the page
 *     map ({@link PageSpan#dropped()});</li>
 * <li>{@link LineJoins}: a word split by a hyphen at a page break joined on the page where it starts, then each
 *     page's lines joined into its text.</li>
 * </ol>
 * Then the document: the pages' texts, normalised ({@link TextNormalizer}) and separated by a blank line, a span per
 * page, the warnings and the metadata. A PDF without any text fails: {@link IngestException.Reason#NO_TEXT_LAYER}
 * when it has scanned pages (saying whether OCR could help), {@link IngestException.Reason#EMPTY} otherwise.
 */
public final class PdfExtractor {
    private PdfExtractor() {
    }

    /**
     * Reads the PDF of {@code job}, whose bytes hash to {@code hash}.
     *
     * @throws IngestException with a one-line message if it cannot be read
     */
    public static IngestedDocument extract(Job job, String hash) {
        try (PDDocument doc = PdfOpener.open(job)) {
            if (doc.getNumberOfPages() == 0) {
                throw job.fail(IngestException.Reason.EMPTY, "has no pages");
            }
            List<PageLines> pages = TextCapture.pages(job, doc);
            ScannedPages.OcrRun ocr = ScannedPages.ocr(job, doc, pages);
            String[] labels = PageLabels.of(doc);
            RunningLines.Split split = RunningLines.split(pages);
            LineJoins.acrossPages(split.kept());
            return document(job, hash, doc, pages, labels, ocr, split);
        } catch (IngestException e) {
            throw e;
        } catch (InvalidPasswordException e) {
            throw job.fail(IngestException.Reason.WRONG_PASSWORD, "could not be opened with the password given", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CancellationException c) {
                throw c;
            }
            throw job.fail(IngestException.Reason.CORRUPT,
                    "is damaged and could not be read (" + IngestException.brief(e) + ")", e);
        }
    }

    /** The text, the page map, the warnings and the metadata, out of what the passes made. */
    private static IngestedDocument document(Job job, String hash, PDDocument doc, List<PageLines> pages,
                                             String[] labels, ScannedPages.OcrRun ocr, RunningLines.Split split) {
        StringBuilder text = new StringBuilder();
        int[] starts = new int[pages.size()];
        List<Integer> scanned = new ArrayList<>();
        int textPages = 0;
        for (int p = 0; p < pages.size(); p++) {
            String body = LineJoins.pageText(split.kept().get(p));
            if (!body.isBlank()) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                textPages++;
            } else if (pages.get(p).hasImages()) {
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
        if (textPages == 0) {
            if (!scanned.isEmpty()) {
                throw job.fail(IngestException.Reason.NO_TEXT_LAYER, ocr.noTextLayer());
            }
            throw job.fail(IngestException.Reason.EMPTY, "contains no text");
        }
        List<String> warnings = new ArrayList<>(ocr.warnings(scanned, pages.size()));
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
}
