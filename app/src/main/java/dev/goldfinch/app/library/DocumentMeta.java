package dev.goldfinch.app.library;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.goldfinch.app.library.SourceDocument;
import java.util.List;

/**
 * What the app keeps about a document beside its text, as the JSON of the store's {@code documents.metadata}:
 * the title, the file it came from, its format, the page map (character spans of the text), whether its scanned
 * pages were read with OCR (the person's choice, used again when the same file is added again) and its language
 * (ISO 639-1, from ingest; null when not known or for a document added before it was kept: text-match sources guess it). The same fields
 * as {@code ./goldfinch ask} writes (title, unit, pages of page/start/end/label), so a document added either way
 * shows the same; fields of the other writer are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DocumentMeta(String title, String source, String mediaType, String unit, List<SourceDocument.Page> pages, List<String> warnings,
                           boolean ocr, String language) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public DocumentMeta {
        unit = unit == null || unit.isBlank() ? "page" : unit;
        pages = pages == null ? List.of() : List.copyOf(pages);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Metadata without a language. */
    public DocumentMeta(String title, String source, String mediaType, String unit, List<SourceDocument.Page> pages, List<String> warnings, boolean ocr) {
        this(title, source, mediaType, unit, pages, warnings, ocr, null);
    }

    public static DocumentMeta of(SourceDocument d, String source, boolean ocr) {
        return new DocumentMeta(d.title(), source, d.mediaType(), d.unit(), d.pages(), d.warnings(), ocr, d.language());
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The metadata of a stored document; a document stored by another tool (no or foreign JSON) gets its name as title. */
    public static DocumentMeta parse(String json, String name) {
        if (json != null && !json.isBlank()) {
            try {
                DocumentMeta m = MAPPER.readValue(json, DocumentMeta.class);
                if (m != null) return m.title() != null && !m.title().isBlank() ? m : new DocumentMeta(name, m.source(), m.mediaType(), m.unit(), m.pages(), m.warnings(), m.ocr(), m.language());
            } catch (JsonProcessingException ignored) {
                // not ours: fall through to the plain description
            }
        }
        return new DocumentMeta(name, null, null, "page", List.of(), List.of(), false);
    }

    /** "3 pages", "1 section", "12 slides". */
    public String countText() {
        int n = Math.max(1, pages.size());
        return String.format(java.util.Locale.ROOT, "%,d %s%s", n, unit, n == 1 ? "" : "s");
    }

    /** The format in a word or two, as a person calls it ("PDF", "Markdown", "Word"), or null when not known. */
    public String formatName() {
        if (mediaType == null || mediaType.isBlank()) return null;
        String type = mediaType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        return switch (type) {
            case "application/pdf" -> "PDF";
            case "text/plain" -> "plain text";
            case "text/markdown", "text/x-web-markdown" -> "Markdown";
            case "text/csv" -> "CSV";
            case "text/html", "application/xhtml+xml" -> "HTML";
            case "application/epub+zip" -> "EPUB";
            case "application/rtf" -> "RTF";
            case "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> "Word";
            case "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation" -> "PowerPoint";
            case "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" -> "Excel";
            case "application/vnd.oasis.opendocument.text" -> "OpenDocument text";
            case "application/vnd.oasis.opendocument.presentation" -> "OpenDocument presentation";
            case "application/vnd.oasis.opendocument.spreadsheet" -> "OpenDocument spreadsheet";
            default -> type;
        };
    }

    /** The page holding character {@code offset} (the first page when there is no page map). */
    public SourceDocument.Page pageAt(int offset, int textLength) {
        List<SourceDocument.Page> all = pagesOf(textLength);
        for (SourceDocument.Page p : all) {
            if (offset >= p.start() && offset < p.end()) return p;
        }
        return offset >= textLength ? all.getLast() : all.getFirst();
    }

    /** Pages of a document of the given length: the stored map, or the whole text as one page. */
    public List<SourceDocument.Page> pagesOf(int textLength) {
        return pages.isEmpty() ? List.of(new SourceDocument.Page(1, 0, textLength, "1")) : pages;
    }
}
