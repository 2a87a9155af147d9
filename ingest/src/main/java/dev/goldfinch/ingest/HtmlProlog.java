package dev.goldfinch.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.tika.mime.MediaType;

/**
 * Takes the internal DTD subset out of an HTML or XHTML file's DOCTYPE before the HTML parser sees it. An HTML
 * parser (jsoup, under Tika) ends the DOCTYPE at its first "&gt;", so the rest of a subset
 * ({@code <!DOCTYPE html [<!ENTITY % pe SYSTEM "..."> %pe; ]>}) became text ("%pe; ]>"), and the entities it
 * declares stayed as written ("&amp;xxe;"). The DOCTYPE is replaced by a plain one with the same root name, and the
 * names of the general entities it declared are returned, so that their references can be dropped from the text:
 * nothing is resolved, neither external entities (never fetched) nor internal ones (so no entity expansion either).
 *
 * <p>Only the head of the file is read (at most {@value #MAX_HEAD} bytes, where the DOCTYPE must end); the rest is
 * streamed. The head is handled as ISO-8859-1, which keeps every byte as it is, so any ASCII-compatible encoding
 * passes through untouched; a UTF-16 file (rare for HTML) is left as it is.
 */
final class HtmlProlog {
    static final int MAX_HEAD = 1 << 20;
    private static final Pattern ENTITY_REF = Pattern.compile("&([A-Za-z_:][A-Za-z0-9_:.\\-]*);");

    private HtmlProlog() {
    }

    /** The file to parse, and the entities its DTD declared (empty when it had no internal subset). */
    record Cleaned(InputStream stream, Set<String> entities) {
    }

    static Cleaned open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            byte[] head = in.readNBytes(MAX_HEAD);
            String s = new String(head, StandardCharsets.ISO_8859_1);
            Set<String> entities = new HashSet<>();
            String cleaned = withoutSubset(s, entities);
            byte[] first = cleaned == null ? head : cleaned.getBytes(StandardCharsets.ISO_8859_1);
            return new Cleaned(new SequenceInputStream(new ByteArrayInputStream(first), in),
                    cleaned == null ? Set.of() : Set.copyOf(entities));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** {@code text} with references to {@code entities} taken out. */
    static String dropReferences(String text, Set<String> entities) {
        if (entities.isEmpty() || text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = ENTITY_REF.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, entities.contains(m.group(1)) ? "" : Matcher.quoteReplacement(m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The head with its DOCTYPE's internal subset taken out (the DOCTYPE becomes {@code <!DOCTYPE name>}), adding
     * the general entities it declares to {@code entities}; null if there is no internal subset (or it does not end
     * within the head).
     */
    static String withoutSubset(String head, Set<String> entities) {
        if (head.startsWith("\u00fe\u00ff") || head.startsWith("\u00ff\u00fe")) {
            return null; // UTF-16
        }
        int i = head.startsWith("\u00ef\u00bb\u00bf") ? 3 : 0;
        // skip what may come before the DOCTYPE: spaces, the XML declaration, processing instructions, comments
        while (i < head.length()) {
            if (Character.isWhitespace(head.charAt(i))) {
                i++;
            } else if (head.startsWith("<?", i)) {
                i = after(head, "?>", i + 2);
            } else if (head.startsWith("<!--", i)) {
                i = after(head, "-->", i + 4);
            } else {
                break;
            }
            if (i < 0) {
                return null;
            }
        }
        int start = i;
        if (!head.regionMatches(true, i, "<!DOCTYPE", 0, 9)) {
            return null;
        }
        i += 9;
        while (i < head.length() && Character.isWhitespace(head.charAt(i))) {
            i++;
        }
        int nameStart = i;
        while (i < head.length() && isNameChar(head.charAt(i))) {
            i++;
        }
        String name = i > nameStart ? head.substring(nameStart, i) : "html";
        // external identifiers, up to the subset (or the end: then there is no subset)
        while (i < head.length() && head.charAt(i) != '[') {
            char c = head.charAt(i);
            if (c == '>') {
                return null;
            }
            i = c == '"' || c == '\'' ? after(head, String.valueOf(c), i + 1) : i + 1;
            if (i < 0) {
                return null;
            }
        }
        i++;
        // the internal subset: declarations, comments, processing instructions, parameter entity references
        while (i < head.length() && head.charAt(i) != ']') {
            char c = head.charAt(i);
            if (c == '"' || c == '\'') {
                i = after(head, String.valueOf(c), i + 1);
            } else if (head.startsWith("<!--", i)) {
                i = after(head, "-->", i + 4);
            } else if (head.startsWith("<?", i)) {
                i = after(head, "?>", i + 2);
            } else if (head.startsWith("<!ENTITY", i)) {
                i = entity(head, i + 8, entities);
            } else {
                i++;
            }
            if (i < 0) {
                return null;
            }
        }
        int end = after(head, ">", i);
        if (i >= head.length() || end < 0) {
            return null;
        }
        return head.substring(0, start) + "<!DOCTYPE " + name + ">" + head.substring(end);
    }

    /** Reads the name of an entity declaration starting at {@code i}; returns where the scan goes on. */
    private static int entity(String head, int i, Set<String> entities) {
        while (i < head.length() && Character.isWhitespace(head.charAt(i))) {
            i++;
        }
        if (i < head.length() && head.charAt(i) == '%') {
            return i + 1; // a parameter entity: only the DTD refers to it
        }
        int from = i;
        while (i < head.length() && isNameChar(head.charAt(i))) {
            i++;
        }
        if (i > from) {
            entities.add(head.substring(from, i));
        }
        return i;
    }

    private static boolean isNameChar(char c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == ':' || c == '.' || c == '-');
    }

    /** The index just past the next {@code token} from {@code from}, or -1. */
    private static int after(String s, String token, int from) {
        int k = s.indexOf(token, from);
        return k < 0 ? -1 : k + token.length();
    }

    /** True for the media types the HTML parser reads. */
    static boolean isHtml(MediaType type) {
        return Formats.isA(type, MediaType.text("html")) || Formats.isA(type, MediaType.application("xhtml+xml"));
    }
}
