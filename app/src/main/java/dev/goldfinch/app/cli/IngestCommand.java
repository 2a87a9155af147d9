package dev.goldfinch.app.cli;

import dev.goldfinch.app.Logs;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Ingestor;
import dev.goldfinch.ingest.PageSpan;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `goldfinch ingest FILE [--json]`: the text the model would read from a document (PDF, Word, OpenDocument, EPUB,
 * HTML, PowerPoint, Excel, Markdown, plain text), or with --json the text with its page map and metadata.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Print the text GoldFinch reads from a document, or with --json an object with text, pages "
                + "({page, start, end, label} character ranges), title, author, language, encoding, hash and warnings.",
                "Reads PDF, .docx/.doc, .odt, .rtf, .epub, .html, .pptx, .xlsx, .md and .txt (any common encoding)."})
public final class IngestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The document to read.")
    Path file;

    @Option(names = "--json", description = "Print a JSON object instead of the plain text.")
    boolean json;

    @Option(names = "--password", paramLabel = "P", description = "Password of an encrypted PDF or Office file (without it, a terminal asks for it without echo).")
    String password;

    @Option(names = "--max-mb", paramLabel = "N", description = "Refuse files larger than N MB (default: ${DEFAULT-VALUE}).",
            defaultValue = "512")
    long maxMb;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up on a file after this many seconds (default: ${DEFAULT-VALUE}).", defaultValue = "180")
    long timeoutSeconds;

    @Option(names = "--ocr", description = "OCR a scanned PDF with tesseract (needs tesseract on the PATH).")
    boolean ocr;

    @Override
    public Integer call() {
        if (maxMb <= 0 || timeoutSeconds <= 0) {
            throw new IllegalArgumentException("--max-mb and --timeout must be positive");
        }
        // PDFBox, POI and Tika log through java.util.logging (font cache notes, fallback fonts, lenient parsing): the
        // log file has them, the terminal not (see Logs); --debug shows them here too.
        if (debug()) Logs.showEverythingOnTerminal();
        IngestOptions options = IngestOptions.defaults()
                .withMaxFileBytes(maxMb << 20)
                .withTimeLimit(Duration.ofSeconds(timeoutSeconds))
                .withPasswords(new TerminalPasswords(password))
                .withOcr(ocr);
        IngestedDocument doc;
        try {
            doc = new Ingestor().ingest(file, options);
        } catch (IngestException e) {
            throw IngestHints.withHint(e, hint(e));
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (json) {
            writeJson(doc, out);
        } else {
            out.println(doc.text());
            for (String w : doc.warnings()) {
                System.err.println("goldfinch: note: " + w);
            }
        }
        out.flush();
        return 0;
    }

    private boolean debug() {
        CommandLine.ParseResult here = spec.commandLine().getParseResult();
        CommandLine.ParseResult root = spec.root().commandLine().getParseResult();
        return here != null && here.hasMatchedOption("--debug") || root != null && root.hasMatchedOption("--debug");
    }

    /** What the user can do about it on this command line. */
    private String hint(IngestException e) {
        return switch (e.reason()) {
            case TOO_LARGE -> isOverSize() ? "; raise the limit with --max-mb" : "";
            case TIMEOUT -> "; allow more time with --timeout";
            default -> IngestHints.hint(e, ocr);
        };
    }

    private boolean isOverSize() {
        try {
            return Files.size(file) > maxMb << 20;
        } catch (IOException e) {
            return false;
        }
    }

    static void writeJson(IngestedDocument doc, PrintStream out) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("text", doc.text());
        List<Map<String, Object>> pages = new ArrayList<>(doc.pages().size());
        for (PageSpan p : doc.pages()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("page", p.page());
            m.put("start", p.start());
            m.put("end", p.end());
            m.put("label", p.label());
            if (!p.dropped().isEmpty()) {
                m.put("dropped", p.dropped());
            }
            pages.add(m);
        }
        o.put("unit", doc.unit().name().toLowerCase(java.util.Locale.ROOT));
        o.put("pages", pages);
        o.put("title", doc.title());
        o.put("author", doc.author());
        o.put("language", doc.language());
        o.put("encoding", doc.encoding());
        o.put("mediaType", doc.mediaType());
        o.put("hash", doc.contentHash());
        o.put("warnings", doc.warnings());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try {
            mapper.writeValue(out, o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }
}
