package dev.goldfinch.app.library;

import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Ingestor;
import dev.goldfinch.ingest.PageSpan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Documents through the ingest module: PDF (PDFBox), plain text and Markdown, and what Tika reads. Failures are
 * {@link dev.goldfinch.ingest.IngestException}s with a one-line message; an encrypted document asks
 * {@code passwords} for its password (and again after a wrong one, if the supplier can ask a person again).
 */
public final class IngestSource implements DocumentSource {
    private final Ingestor ingestor = new Ingestor();
    private final IngestOptions options;

    /**
     * The time a file read with OCR may take: a scanned book takes a second or two a page, and whoever asked for OCR
     * sees its progress and can cancel it, so the usual limit (against a parser stuck on a hostile file) would cut
     * short what is only slow.
     */
    static final Duration OCR_TIME_LIMIT = Duration.ofHours(2);

    public IngestSource(IngestOptions.PasswordSupplier passwords) {
        this.options = IngestOptions.defaults().withPasswords(passwords);
    }

    @Override
    public SourceDocument read(Path file, AddOptions how) {
        IngestOptions o = options.withOcr(how.ocr()).withOcrProgress(how.ocrPages()).withCancel(how.cancelled());
        IngestedDocument d = ingestor.ingest(file, how.ocr() ? o.withTimeLimit(OCR_TIME_LIMIT) : o);
        List<SourceDocument.Page> pages = d.pages().stream().map(IngestSource::page).toList();
        return new SourceDocument(title(d, file), d.text(), pages, d.unit().name().toLowerCase(java.util.Locale.ROOT), d.contentHash(), d.mediaType(),
                d.warnings(), d.language());
    }

    private static SourceDocument.Page page(PageSpan p) {
        return new SourceDocument.Page(p.page(), p.start(), p.end(), p.label());
    }

    /** The document's own title when it has a sensible one, else its first line of text, else the file name. */
    static String title(IngestedDocument d, Path file) {
        String t = d.title() == null ? "" : d.title().strip();
        if (t.length() >= 3 && !t.equalsIgnoreCase("untitled")) return shorten(t);
        for (String line : d.text().lines().limit(20).toList()) {
            String s = line.strip();
            if (s.length() >= 3) return shorten(s);
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "…" : s;
    }
}
