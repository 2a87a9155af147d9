package dev.goldfinch.app.ui.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Plain text files (UTF-8, else Windows-1252): pages are split at form feeds, or into sections of about
 * {@value #SECTION_CHARS} characters at paragraph breaks when the text has none. Anything binary is refused.
 */
public final class PlainTextSource implements DocumentSource {
    static final int SECTION_CHARS = 3000;
    static final long MAX_BYTES = 64L << 20;

    @Override
    public SourceDocument read(Path file) {
        String name = file.getFileName().toString();
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) throw new DocumentSourceException(name + ": not a file");
            if (Files.size(file) > MAX_BYTES) throw new DocumentSourceException(name + ": larger than " + (MAX_BYTES >> 20) + " MB");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DocumentSourceException(name + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (isBinary(bytes)) throw new DocumentSourceException(name + ": not a text document (the file holds binary data)");
        String text = decode(bytes).replace("\r\n", "\n").replace('\r', '\n');
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        if (text.isBlank()) throw new DocumentSourceException(name + ": the document has no text");
        return new SourceDocument(title(text, name), text, pages(text), sha256(bytes), "text/plain", List.of());
    }

    static boolean isBinary(byte[] bytes) {
        int n = Math.min(bytes.length, 8192), control = 0;
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (b == 0) return true;
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') control++;
        }
        return n > 0 && control * 20 > n;
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }

    /** The first line with text (shortened), else the file name without its extension. */
    static String title(String text, String fileName) {
        for (String line : text.lines().limit(20).toList()) {
            String t = line.strip();
            if (t.length() >= 3) return t.length() > 80 ? t.substring(0, 77) + "…" : t;
        }
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    static List<SourceDocument.Page> pages(String text) {
        List<SourceDocument.Page> pages = new ArrayList<>();
        if (text.indexOf('\f') >= 0) {
            int start = 0;
            for (int i = 0; i <= text.length(); i++) {
                if (i == text.length() || text.charAt(i) == '\f') {
                    int end = i < text.length() ? i + 1 : i;
                    if (end > start || pages.isEmpty()) pages.add(new SourceDocument.Page(pages.size() + 1, start, end, String.valueOf(pages.size() + 1)));
                    start = end;
                }
            }
            return pages;
        }
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + SECTION_CHARS);
            if (end < text.length()) {
                int para = text.lastIndexOf("\n\n", end);
                if (para > start + SECTION_CHARS / 3) end = para + 2;
            }
            pages.add(new SourceDocument.Page(pages.size() + 1, start, end, String.valueOf(pages.size() + 1)));
            start = end;
        }
        return pages;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
