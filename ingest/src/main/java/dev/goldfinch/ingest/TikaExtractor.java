package dev.goldfinch.ingest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.AutoDetectParserConfig;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.PasswordProvider;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.IngestedDocument.Unit;

/**
 * Everything but PDF (and plain text, see {@link PlainTextExtractor}) through Tika's AutoDetectParser: Word
 * (.docx, .doc), OpenDocument, RTF, EPUB, HTML, PowerPoint, Excel, and archives of those. Tika's XHTML events are
 * turned into text by {@link StructureHandler}, which also cuts the section map: a slide per
 * {@code div.slide-content}, a sheet per {@code div.sheet}/{@code div.page} (labelled with the sheet's name), a
 * section per h1-h3 heading otherwise. Running headers and footers of Word files are left out (Tika does not mark
 * them, so they are not extracted at all).
 */
final class TikaExtractor {
    private static final System.Logger LOG = System.getLogger(TikaExtractor.class.getName());

    private TikaExtractor() {
    }

    static Unit unitFor(MediaType type) {
        String s = type.toString();
        for (MediaType t : Formats.lineage(type)) {
            String u = t.toString();
            if (u.contains("presentationml") || u.startsWith("application/vnd.ms-powerpoint")
                    || u.equals("application/vnd.oasis.opendocument.presentation")) {
                return Unit.SLIDE;
            }
            if (u.contains("spreadsheetml") || u.startsWith("application/vnd.ms-excel")
                    || u.equals("application/vnd.oasis.opendocument.spreadsheet")) {
                return Unit.SHEET;
            }
        }
        return s.equals("application/pdf") ? Unit.PAGE : Unit.SECTION;
    }

    /** Tracks whether a password was asked for and given, to tell "encrypted" from "wrong password". */
    private static final class Passwords implements PasswordProvider {
        private final Job job;
        boolean given;

        Passwords(Job job) {
            this.job = job;
        }

        @Override
        public String getPassword(Metadata metadata) {
            String p = job.options.passwords().passwordFor(job.file);
            given |= p != null;
            return p;
        }
    }

    static IngestedDocument extract(Job job, String hash, MediaType type) {
        AutoDetectParser parser = new AutoDetectParser(Formats.config());
        AutoDetectParserConfig apc = new AutoDetectParserConfig();
        apc.setMaximumPackageEntryDepth(Math.max(1, job.options.maxArchiveDepth()));
        apc.setMaximumDepth(200);
        parser.setAutoDetectParserConfig(apc);
        ParseContext context = new ParseContext();
        Passwords passwords = new Passwords(job);
        context.set(PasswordProvider.class, passwords);
        OfficeParserConfig office = new OfficeParserConfig();
        office.setIncludeHeadersAndFooters(false);
        office.setIncludeSlideMasterContent(false);
        office.setIncludeDeletedContent(false);
        // Word and PowerPoint files are read as a stream of XML events. POI's document model holds the whole XML in
        // memory at some 70 times its size: a 300 KB .docx unpacking to 100 MB of XML took 7 GB. Streamed, memory
        // follows the text kept, which maxTextChars bounds.
        office.setUseSAXDocxExtractor(true);
        office.setUseSAXPptxExtractor(true);
        context.set(OfficeParserConfig.class, office);
        // Tika would OCR every picture inside a document whenever tesseract is on the PATH, outside this file's
        // time limit; OCR here is only for scanned PDFs (PdfExtractor), and only when asked for.
        TesseractOCRConfig tesseract = new TesseractOCRConfig();
        tesseract.setSkipOcr(true);
        context.set(TesseractOCRConfig.class, tesseract);
        Metadata md = new Metadata();
        md.set(TikaCoreProperties.RESOURCE_NAME_KEY, job.name());
        Unit unit = unitFor(type);
        StructureHandler handler = new StructureHandler(job, unit);
        try (TikaInputStream tis = open(job, type, md, handler)) {
            parser.parse(tis, handler, md, context);
        } catch (Exception | StackOverflowError e) {
            throw classify(job, e, passwords.given);
        }
        job.check();
        List<PageSpan> spans = handler.finish();
        String text = handler.text.text();
        String parsedBy = String.join(" ", md.getValues(TikaCoreProperties.TIKA_PARSED_BY));
        if (text.isBlank()) {
            if (parsedBy.contains("EmptyParser") || parsedBy.isBlank()) {
                throw job.fail(Reason.UNSUPPORTED, "is " + Formats.describe(type) + ", which GoldFinch cannot read");
            }
            throw job.fail(Reason.EMPTY, "contains no text");
        }
        List<String> warnings = new ArrayList<>();
        String title = TextNormalizer.blankToNull(md.get(TikaCoreProperties.TITLE));
        String[] creators = md.getValues(TikaCoreProperties.CREATOR);
        String author = creators.length == 0 ? null : TextNormalizer.blankToNull(String.join(", ", creators));
        String language = LanguageGuesser.isoCode(md.get(TikaCoreProperties.LANGUAGE));
        if (language == null) {
            language = LanguageGuesser.isoCode(md.get("Content-Language"));
        }
        if (language == null) {
            language = LanguageGuesser.guess(text);
        }
        String encoding = md.get(Metadata.CONTENT_ENCODING);
        return new IngestedDocument(text, handler.unit(), spans, title, author, language, encoding,
                type.toString(), hash, warnings);
    }

    /** The file for Tika; for HTML, without the internal DTD subset of its DOCTYPE (see {@link HtmlProlog}). */
    private static TikaInputStream open(Job job, MediaType type, Metadata md, StructureHandler handler)
            throws IOException {
        if (!HtmlProlog.isHtml(type)) {
            return TikaInputStream.get(job.file, md);
        }
        HtmlProlog.Cleaned html = HtmlProlog.open(job.file);
        handler.dropEntities = html.entities();
        return TikaInputStream.get(html.stream());
    }

    /** Maps whatever a parser threw to a one-line reason. */
    static RuntimeException classify(Job job, Throwable e, boolean passwordGiven) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IngestException ie) {
                return ie;
            }
            if (t instanceof CancellationException ce) {
                return ce;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof EncryptedDocumentException
                    || t instanceof org.apache.poi.EncryptedDocumentException) {
                return passwordGiven
                        ? job.fail(Reason.WRONG_PASSWORD, "is password-protected and the password given is wrong", e)
                        : job.fail(Reason.ENCRYPTED, "is password-protected: a password is needed to open it", e);
            }
            if (t instanceof ZeroByteFileException) {
                return job.fail(Reason.EMPTY, "is empty (0 bytes)", e);
            }
            if (msg.contains("zip bomb")) {
                return job.fail(Reason.ARCHIVE_BOMB, "expands suspiciously much when unpacked (a zip bomb?)", e);
            }
            if (t instanceof TikaMemoryLimitException || t instanceof OutOfMemoryError) {
                return job.fail(Reason.TOO_LARGE, "needs more memory to read than is allowed", e);
            }
            if (t instanceof UnsupportedFormatException) {
                return job.fail(Reason.UNSUPPORTED, "is in a format GoldFinch cannot read ("
                        + IngestException.brief(t) + ")", e);
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "parser failed on " + job.file, e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return job.fail(Reason.CORRUPT, "is damaged and could not be read (" + IngestException.brief(root) + ")", e);
    }

    /** Turns Tika's XHTML events into text plus a section map. */
    static final class StructureHandler extends DefaultHandler {
        private static final Set<String> SKIP = Set.of("head", "title", "script", "style", "noscript", "template",
                "object", "embed");
        private static final Set<String> SKIP_CLASSES = Set.of("slide-master-content", "slide-master",
                "slide-layout");
        private static final Set<String> BLOCKS = Set.of("div", "li", "dd", "dt", "blockquote", "pre", "section",
                "article", "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "address", "figure",
                "figcaption", "caption", "header", "footer", "nav", "aside", "main", "hr");

        final TextBuilder text;
        private final Job job;
        private final Unit requested;
        private final Deque<String> stack = new ArrayDeque<>();
        private int skip;
        private boolean sawUnits;
        private int units;
        private StringBuilder heading;
        private int headingSection = -1;
        private boolean labelFromHeading;
        /** Cells seen so far in each open table row (tables nest in HTML). */
        private final Deque<int[]> rows = new ArrayDeque<>();
        private int openCells;
        private int pre;
        /** Entities an HTML file's DTD declared: never resolved, so their references are left out. */
        Set<String> dropEntities = Set.of();

        StructureHandler(Job job, Unit requested) {
            this.job = job;
            this.requested = requested;
            this.text = new TextBuilder(job, "Start");
        }

        Unit unit() {
            return requested != Unit.SECTION && !sawUnits ? Unit.SECTION : requested;
        }

        List<PageSpan> finish() {
            return text.finish(switch (unit()) {
                case SLIDE -> "Slide ";
                case SHEET -> "Sheet ";
                case PAGE -> "Page ";
                case SECTION -> "Section ";
            });
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            String name = (localName == null || localName.isEmpty() ? qName : localName).toLowerCase(Locale.ROOT);
            String cls = atts.getValue("class");
            if (skip > 0 || SKIP.contains(name) || cls != null && SKIP_CLASSES.contains(cls)) {
                skip++;
                stack.push("#skip");
                return;
            }
            stack.push(name);
            if (name.equals("div") && cls != null) {
                if (requested == Unit.SLIDE && cls.equals("slide-content")) {
                    sawUnits = true;
                    text.section("Slide " + ++units);
                    return;
                }
                if (requested == Unit.SHEET && (cls.equals("sheet") || cls.equals("page"))) {
                    sawUnits = true;
                    text.section("Sheet " + ++units);
                    labelFromHeading = true;
                    return;
                }
                if (requested == Unit.PAGE && cls.equals("page")) {
                    sawUnits = true;
                    text.section(Integer.toString(++units));
                    return;
                }
            }
            if (name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6') {
                int level = name.charAt(1) - '0';
                heading = new StringBuilder();
                if (labelFromHeading) {
                    headingSection = text.sections() - 1;
                    labelFromHeading = false;
                } else if (requested == Unit.SECTION && level <= 3) {
                    headingSection = text.section(null);
                } else {
                    headingSection = -1;
                    text.lineBreak(2);
                }
                return;
            }
            switch (name) {
                case "p" -> text.lineBreak(2);
                case "br" -> text.lineBreak(1);
                case "tr" -> {
                    text.lineBreak(1);
                    rows.push(new int[1]);
                }
                case "td", "th" -> {
                    if (!rows.isEmpty() && rows.peek()[0]++ > 0) {
                        text.raw(" | ");
                    }
                    openCells++;
                }
                case "pre" -> {
                    text.lineBreak(2);
                    pre++;
                }
                default -> {
                    if (BLOCKS.contains(name)) {
                        text.lineBreak(name.equals("table") || name.equals("ul") || name.equals("ol") ? 2 : 1);
                    }
                }
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            String name = stack.isEmpty() ? "" : stack.pop();
            if (name.equals("#skip")) {
                skip--;
                return;
            }
            if (name.length() == 2 && name.charAt(0) == 'h' && Character.isDigit(name.charAt(1)) && heading != null) {
                if (headingSection >= 0) {
                    String label = TextNormalizer.normalize(heading).strip().replaceAll("\\s+", " ");
                    if (!label.isEmpty()) {
                        text.label(headingSection, label.length() > 120 ? label.substring(0, 117) + "..." : label);
                    }
                }
                heading = null;
                headingSection = -1;
                text.lineBreak(2);
                return;
            }
            switch (name) {
                case "p" -> text.lineBreak(2);
                case "tr" -> {
                    text.trimRowEnd();
                    text.lineBreak(1);
                    if (!rows.isEmpty()) {
                        rows.pop();
                    }
                }
                case "td", "th" -> openCells = Math.max(0, openCells - 1);
                case "pre" -> {
                    pre = Math.max(0, pre - 1);
                    text.lineBreak(2);
                }
                default -> {
                    if (BLOCKS.contains(name)) {
                        text.lineBreak(name.equals("table") || name.equals("ul") || name.equals("ol") ? 2 : 1);
                    }
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (skip > 0 || betweenCells()) {
                return;
            }
            job.check();
            String raw = HtmlProlog.dropReferences(new String(ch, start, length), dropEntities);
            String s = TextNormalizer.normalize(raw);
            if (heading != null) {
                heading.append(s);
            }
            if (pre > 0) {
                text.appendPreformatted(s);
            } else {
                text.appendCollapsed(s);
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) {
            if (skip == 0 && !betweenCells()) {
                text.space();
            }
        }

        /** Inside a table row but not inside one of its cells (the whitespace between cells). */
        private boolean betweenCells() {
            return rows.size() > openCells;
        }
    }

}
