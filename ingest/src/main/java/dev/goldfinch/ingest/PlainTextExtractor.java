package dev.goldfinch.ingest;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;

import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.IngestedDocument.Unit;

/**
 * Plain text, Markdown, CSV and other unmarked text. The encoding is detected, not assumed: a byte-order mark
 * first, then UTF-16 without one (every other byte zero), then valid UTF-8, then Tika's statistical detector. A
 * guess of ISO-8859-1 is read as windows-1252 (its superset, as browsers do), so curly quotes, dashes and € in
 * Windows files come out right. Plain text with form feeds is cut into pages there; other text and Markdown into
 * sections, see {@link TextSections}.
 */
final class PlainTextExtractor {
    private static final int SNIFF = 1 << 20;

    private PlainTextExtractor() {
    }

    static IngestedDocument extract(Job job, String hash, MediaType type) {
        boolean markdown = Formats.isMarkdown(type);
        Charset charset;
        try {
            charset = detect(job);
        } catch (IOException e) {
            throw job.fail(Reason.CORRUPT, "could not be read (" + IngestException.brief(e) + ")", e);
        }
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        // the builder's own sections are the pages of a text with form feeds; other sections come after, from the lines
        TextBuilder text = new TextBuilder(job, "1");
        TextSections.Lines lines = new TextSections.Lines();
        boolean paged = false;
        int replaced = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(job.file), decoder),
                1 << 16)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                job.check();
                number++;
                if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                for (int i = 0; i < line.length(); i++) {
                    if (line.charAt(i) == '\uFFFD') {
                        replaced++;
                    }
                }
                if (!markdown && line.indexOf('\f') >= 0) {
                    String[] parts = line.split("\f", -1);
                    for (int i = 0; i < parts.length; i++) {
                        if (i > 0) {
                            paged = true;
                            text.section(null);
                        }
                        lines.add(number, text.appendLine(TextNormalizer.normalize(parts[i])));
                    }
                    continue;
                }
                lines.add(number, text.appendLine(TextNormalizer.normalize(line)));
            }
        } catch (IOException e) {
            throw job.fail(Reason.CORRUPT, "could not be read (" + IngestException.brief(e) + ")", e);
        }
        List<PageSpan> spans = text.finish("");
        String body = text.text();
        String title = null;
        if (!paged) {
            TextSections.Result sections = TextSections.of(body, lines, markdown);
            body = sections.text();
            spans = sections.pages();
            title = sections.title();
        }
        if (body.isBlank()) {
            throw job.fail(Reason.EMPTY, "contains no text");
        }
        if (replaced > Math.max(16, body.length() / 20)) {
            throw job.fail(Reason.UNSUPPORTED, "does not look like text in any encoding GoldFinch knows (binary data?)");
        }
        List<String> warnings = replaced == 0 ? List.of()
                : List.of(replaced + " bytes could not be decoded as " + charset.name() + " and were replaced");
        Unit unit = paged ? Unit.PAGE : Unit.SECTION;
        return new IngestedDocument(body, unit, spans, title, null, LanguageGuesser.guess(body), charset.name(),
                type.toString(), hash, warnings);
    }

    static Charset detect(Job job) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(job.file)) {
            head = in.readNBytes(SNIFF);
        }
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            return StandardCharsets.UTF_8;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe) {
            return StandardCharsets.UTF_16LE;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff) {
            return StandardCharsets.UTF_16BE;
        }
        Charset utf16 = utf16WithoutBom(head);
        if (utf16 != null) {
            return utf16;
        }
        int control = 0;
        for (byte x : head) {
            if (x >= 0 && x < 0x09 || x >= 0x0e && x < 0x20 && x != 0x1b) {
                control++;
            }
        }
        if (control > head.length / 50) {
            throw job.fail(Reason.UNSUPPORTED, "is binary data, not text");
        }
        if (isUtf8(head)) {
            return StandardCharsets.UTF_8;
        }
        Charset guess = null;
        try (TikaInputStream tis = TikaInputStream.get(new ByteArrayInputStream(head))) {
            guess = Formats.config().getEncodingDetector().detect(tis, new Metadata());
        } catch (IOException | RuntimeException e) {
            // fall back below
        }
        if (guess == null || guess.equals(StandardCharsets.ISO_8859_1) || guess.equals(StandardCharsets.US_ASCII)
                || guess.equals(StandardCharsets.UTF_8)) {
            return Charset.forName("windows-1252");
        }
        return guess;
    }

    /** UTF-16 without a BOM: in Latin-script text every other byte is zero. */
    private static Charset utf16WithoutBom(byte[] b) {
        int n = Math.min(b.length, 4096) & ~1;
        if (n < 8) {
            return null;
        }
        int evenZero = 0;
        int oddZero = 0;
        for (int i = 0; i < n; i += 2) {
            if (b[i] == 0) {
                evenZero++;
            }
            if (b[i + 1] == 0) {
                oddZero++;
            }
        }
        int pairs = n / 2;
        if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    /** Valid UTF-8 (a multi-byte sequence cut off at the end of the sample is allowed). */
    private static boolean isUtf8(byte[] b) {
        int end = b.length;
        // do not judge a sequence cut off by the sample's end
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (b[end - back - 1] & 0xc0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0 && (b[end - back - 1] & 0xc0) == 0xc0) {
            end = end - back - 1;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
