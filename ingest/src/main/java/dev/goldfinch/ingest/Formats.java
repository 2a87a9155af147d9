package dev.goldfinch.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.tika.config.TikaConfig;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeType;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;

/**
 * What a file really is: Tika's detector on the content alone (magic bytes, and for zip- and OLE-based files, what
 * the container holds), compared with what its name says. The Tika configuration is loaded once, on first use
 * (about a second), and shared: it is thread-safe.
 */
final class Formats {
    static final MediaType PDF = MediaType.application("pdf");
    static final MediaType OCTET = MediaType.OCTET_STREAM;
    static final MediaType TEXT = MediaType.TEXT_PLAIN;

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("application/pdf", "a PDF document"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a Word document"),
            Map.entry("application/msword", "a Word 97-2003 document"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "an Excel workbook"),
            Map.entry("application/vnd.ms-excel", "an Excel 97-2003 workbook"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    "a PowerPoint presentation"),
            Map.entry("application/vnd.ms-powerpoint", "a PowerPoint 97-2003 presentation"),
            Map.entry("application/vnd.oasis.opendocument.text", "an OpenDocument text"),
            Map.entry("application/epub+zip", "an EPUB e-book"),
            Map.entry("application/rtf", "an RTF document"),
            Map.entry("text/html", "a web page"),
            Map.entry("application/xhtml+xml", "a web page"),
            Map.entry("text/plain", "plain text"),
            Map.entry("text/markdown", "Markdown text"),
            Map.entry("application/zip", "a zip archive"),
            Map.entry("application/octet-stream", "unrecognised binary data"));

    private static volatile TikaConfig config;

    private Formats() {
    }

    static TikaConfig config() {
        TikaConfig c = config;
        if (c == null) {
            synchronized (Formats.class) {
                c = config;
                if (c == null) {
                    c = TikaConfig.getDefaultConfig();
                    config = c;
                }
            }
        }
        return c;
    }

    /** Types and their supertypes; from the MIME database alone (cheap), not the full parser configuration. */
    static MediaTypeRegistry registry() {
        return MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();
    }

    /**
     * The type by content only (the name is not shown to the detector). A PDF is recognised by its header without
     * loading Tika's detectors, which keeps the first PDF of a fresh process quick.
     */
    static MediaType byContent(Path file, byte[] head) throws IOException {
        if (isPdfHeader(head)) {
            return PDF;
        }
        Metadata md = new Metadata();
        try (TikaInputStream tis = TikaInputStream.get(file)) {
            return registry().normalize(config().getDetector().detect(tis, md)).getBaseType();
        }
    }

    /** Starts with "%PDF-" (anything less plain is left to Tika's detector). */
    static boolean isPdfHeader(byte[] head) {
        return head.length >= 5 && head[0] == '%' && head[1] == 'P' && head[2] == 'D' && head[3] == 'F'
                && head[4] == '-';
    }

    /** The type the file name's extension claims, or application/octet-stream if it says nothing. */
    static MediaType byName(String fileName) {
        Metadata md = new Metadata();
        md.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        try {
            return registry().normalize(MimeTypes.getDefaultMimeTypes().detect(null, md)).getBaseType();
        } catch (IOException e) {
            return OCTET;
        }
    }

    /** The type and its supertypes, most specific first, without application/octet-stream. */
    static Set<MediaType> lineage(MediaType type) {
        Set<MediaType> out = new LinkedHashSet<>();
        MediaTypeRegistry reg = registry();
        for (MediaType t = reg.normalize(type); t != null && !t.equals(OCTET); t = reg.getSupertype(t)) {
            if (!out.add(t)) {
                break;
            }
        }
        return out;
    }

    static boolean isA(MediaType type, MediaType ancestor) {
        return lineage(type).contains(ancestor);
    }

    /**
     * True if a file whose content is {@code content} may honestly carry a name that says {@code named}: one is a
     * kind of the other (a .md file holding plain text, a .docx whose zip container was not recognised), or they
     * share a family below "any binary" (a macro-enabled document named .docx).
     */
    static boolean compatible(MediaType content, MediaType named) {
        if (named.equals(OCTET) || content.equals(named)) {
            return true;
        }
        Set<MediaType> a = lineage(content);
        Set<MediaType> b = lineage(named);
        if (a.stream().anyMatch(b::contains)) {
            return true;
        }
        // a password-protected docx/xlsx/pptx is an OLE2 container holding the encrypted package
        if (content.equals(MediaType.application("x-tika-ooxml-protected"))
                && b.contains(MediaType.application("x-tika-ooxml"))) {
            return true;
        }
        // Word saves RTF and web pages with a .doc extension; both open fine
        return named.equals(MediaType.application("msword"))
                && (content.equals(MediaType.application("rtf")) || isA(content, MediaType.text("html")));
    }

    /** "a PDF document", "a Word document", or Tika's description of the type. */
    static String describe(MediaType type) {
        String n = NAMES.get(type.getBaseType().toString());
        if (n != null) {
            return n;
        }
        try {
            MimeType mt = MimeTypes.getDefaultMimeTypes().forName(type.toString());
            String d = mt.getDescription();
            if (d != null && !d.isBlank()) {
                String lower = d.substring(0, 1).toLowerCase(Locale.ROOT) + d.substring(1);
                return ("aeiou".indexOf(Character.toLowerCase(d.charAt(0))) >= 0 ? "an " : "a ") + lower;
            }
        } catch (MimeTypeException e) {
            // fall through
        }
        return type.toString();
    }

    /** The usual extension for the type (".pdf"), or "" if none is known. */
    static String extension(MediaType type) {
        try {
            return MimeTypes.getDefaultMimeTypes().forName(type.toString()).getExtension();
        } catch (MimeTypeException e) {
            return "";
        }
    }

    static boolean isPlainText(MediaType type) {
        // text/* that is not markup: plain text, Markdown, CSV, source code...
        if (!isA(type, TEXT)) {
            return false;
        }
        for (MediaType t : lineage(type)) {
            String s = t.toString();
            if (s.equals("text/html") || s.equals("application/xml") || s.equals("application/xhtml+xml")
                    || s.equals("application/rtf") || s.equals("image/svg+xml")) {
                return false;
            }
        }
        return true;
    }

    static boolean isMarkdown(MediaType type) {
        return type.toString().equals("text/markdown") || type.toString().equals("text/x-web-markdown");
    }

    private static final Set<String> PROGRAMS = Set.of("application/x-executable", "application/x-msdownload",
            "application/x-sharedlib", "application/x-elf", "application/java-vm", "application/x-mach-o",
            "application/x-dosexec", "application/x-object", "application/x-coredump");

    /** Images, sound, video, fonts and programs: there is no document text in them. */
    static boolean isUnreadableMedia(MediaType type) {
        String top = type.getType();
        if (top.equals("image") || top.equals("audio") || top.equals("video") || top.equals("font")
                || top.equals("model")) {
            return true;
        }
        for (MediaType t : lineage(type)) {
            if (PROGRAMS.contains(t.toString())) {
                return true;
            }
        }
        return false;
    }
}
