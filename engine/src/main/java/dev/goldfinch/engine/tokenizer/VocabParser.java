package dev.goldfinch.engine.tokenizer;

import dev.goldfinch.engine.EngineException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses the RWKV World vocabulary text: one token a line, {@code <id> <python literal> <byte length>}, as the
 * reference tokenizer reads it ({@code eval} of the text between the first and the last space, a {@code str} encoded
 * as UTF-8 or a {@code bytes} taken as is). Only the literal forms Python accepts are accepted here; anything else is
 * an error naming the line.
 */
final class VocabParser {
    private final String source;
    private final byte[] data;
    private final byte[][] tokens;
    private int lineNo;
    private final Buf out = new Buf();

    private VocabParser(String source, byte[] data, int vocabSize) {
        this.source = source;
        this.data = data;
        this.tokens = new byte[vocabSize][];
    }

    /** The bytes of each id (null where the file has no such id), validated line by line. */
    static byte[][] parse(String source, byte[] data, int vocabSize) {
        return new VocabParser(source, data, vocabSize).run();
    }

    private byte[][] run() {
        checkUtf8();
        int pos = 0;
        int n = data.length;
        int count = 0;
        while (pos < n) {
            lineNo++;
            int end = pos;
            while (end < n && data[end] != '\n') {
                end++;
            }
            int next = end + 1;
            if (end > pos && data[end - 1] == '\r') {
                end--;
            }
            if (end > pos) {
                parseLine(pos, end);
                count++;
            }
            pos = next;
        }
        if (count == 0) {
            throw new EngineException("tokenizer vocabulary " + source + " has no tokens");
        }
        for (int b = 0; b < 256; b++) {
            // Greedy matching needs every single byte as a token, or some input could not be encoded.
            if (!hasSingleByte(b)) {
                throw new EngineException(String.format(
                        "tokenizer vocabulary %s has no token for the single byte 0x%02x", source, b));
            }
        }
        return tokens;
    }

    private boolean[] singles;

    private boolean hasSingleByte(int b) {
        if (singles == null) {
            singles = new boolean[256];
            for (byte[] t : tokens) {
                if (t != null && t.length == 1) {
                    singles[t[0] & 0xFF] = true;
                }
            }
        }
        return singles[b];
    }

    private void parseLine(int start, int end) {
        int firstSpace = -1;
        for (int i = start; i < end; i++) {
            if (data[i] == ' ') {
                firstSpace = i;
                break;
            }
        }
        int lastSpace = -1;
        for (int i = end - 1; i >= start; i--) {
            if (data[i] == ' ') {
                lastSpace = i;
                break;
            }
        }
        if (firstSpace < 0 || lastSpace <= firstSpace) {
            throw fail("expected '<id> <literal> <byte length>'");
        }
        int id = parseInt(start, firstSpace, "token id");
        int stated = parseInt(lastSpace + 1, end, "byte length");
        if (id < 1 || id >= tokens.length) {
            throw fail("token id " + id + " is outside 1.." + (tokens.length - 1));
        }
        if (tokens[id] != null) {
            throw fail("token id " + id + " appears twice");
        }
        byte[] bytes = parseLiteral(firstSpace + 1, lastSpace);
        if (bytes.length != stated) {
            throw fail("token " + id + " has " + bytes.length + " bytes but the line states " + stated);
        }
        if (bytes.length == 0) {
            throw fail("token " + id + " is empty");
        }
        tokens[id] = bytes;
    }

    private int parseInt(int from, int to, String what) {
        if (from >= to || to - from > 9) {
            throw fail("bad " + what);
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = data[i] - '0';
            if (d < 0 || d > 9) {
                throw fail("bad " + what + " '" + new String(data, from, to - from, StandardCharsets.UTF_8) + "'");
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** A Python string literal occupying exactly data[from, to): optional prefix, one quote, body, same quote. */
    private byte[] parseLiteral(int from, int to) {
        int i = from;
        boolean isBytes = false;
        boolean raw = false;
        while (i < to && data[i] != '\'' && data[i] != '"') {
            switch (data[i]) {
                case 'b', 'B' -> {
                    if (isBytes) {
                        throw fail("bad string prefix");
                    }
                    isBytes = true;
                }
                case 'r', 'R' -> {
                    if (raw) {
                        throw fail("bad string prefix");
                    }
                    raw = true;
                }
                case 'u', 'U' -> {
                    if (i != from || (i + 1 < to && data[i + 1] != '\'' && data[i + 1] != '"')) {
                        throw fail("bad string prefix");
                    }
                }
                default -> throw fail("expected a Python string or bytes literal");
            }
            i++;
        }
        if (i - from > 2 || to - i < 2) {
            throw fail("expected a Python string or bytes literal");
        }
        byte quote = data[i];
        if (data[to - 1] != quote) {
            throw fail("literal does not end with its quote");
        }
        int bodyEnd = to - 1;
        if (bodyEnd - i >= 3 && data[i + 1] == quote && data[i + 2] == quote) {
            throw fail("triple-quoted literals are not supported");
        }
        out.reset();
        for (int p = i + 1; p < bodyEnd; ) {
            int c = data[p] & 0xFF;
            if (c == quote) {
                throw fail("unescaped quote inside the literal");
            }
            if (isBytes && c >= 0x80) {
                throw fail("non-ASCII character in a bytes literal");
            }
            if (c != '\\' || raw) {
                if (raw && c == '\\') {
                    // In a raw literal a backslash still keeps the next character from closing the literal.
                    out.write(c);
                    if (p + 1 < bodyEnd) {
                        out.write(data[p + 1]);
                        p += 2;
                        continue;
                    }
                    throw fail("literal ends in a backslash");
                }
                out.write(c); // str: already UTF-8 in the file, which is what .encode('utf-8') gives
                p++;
                continue;
            }
            if (p + 1 >= bodyEnd) {
                throw fail("literal ends in a backslash");
            }
            int e = data[p + 1] & 0xFF;
            p += 2;
            switch (e) {
                case '\\', '\'', '"' -> out.write(e);
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write(10);
                case 'r' -> out.write(13);
                case 't' -> out.write(9);
                case 'v' -> out.write(11);
                case 'x' -> {
                    int v = hex(p, 2, bodyEnd);
                    p += 2;
                    emit(v, isBytes);
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int v = e - '0';
                    for (int k = 0; k < 2 && p < bodyEnd && data[p] >= '0' && data[p] <= '7'; k++, p++) {
                        v = v * 8 + (data[p] - '0');
                    }
                    if (isBytes && v > 0xFF) {
                        throw fail("octal escape out of range in a bytes literal");
                    }
                    emit(v, isBytes);
                }
                case 'u', 'U' -> {
                    if (isBytes) { // not an escape in bytes: kept as is
                        out.write('\\');
                        out.write(e);
                    } else {
                        int digits = e == 'u' ? 4 : 8;
                        int v = hex(p, digits, bodyEnd);
                        p += digits;
                        emit(v, false);
                    }
                }
                case 'N' -> {
                    if (isBytes) {
                        out.write('\\');
                        out.write(e);
                    } else {
                        throw fail("\\N{...} escapes are not supported");
                    }
                }
                default -> { // Python keeps an unknown escape as backslash + character
                    out.write('\\');
                    p--; // the character itself is written by the next iteration (it may be multi-byte UTF-8)
                }
            }
        }
        return out.toByteArray();
    }

    private int hex(int p, int digits, int limit) {
        int v = 0;
        for (int k = 0; k < digits; k++) {
            int d = p + k < limit ? Character.digit(data[p + k], 16) : -1;
            if (d < 0) {
                throw fail("truncated \\x, \\u or \\U escape");
            }
            v = (v << 4) | d;
        }
        if (v < 0) {
            throw fail("escape out of range");
        }
        return v;
    }

    /** A byte (bytes literal) or a code point written as UTF-8 (str literal). */
    private void emit(int v, boolean isBytes) {
        if (isBytes) {
            out.write(v);
            return;
        }
        if (v > 0x10FFFF) {
            throw fail("escape out of range");
        }
        if (v >= 0xD800 && v <= 0xDFFF) {
            throw fail(String.format("surrogate U+%04X cannot be encoded as UTF-8", v));
        }
        if (v < 0x80) {
            out.write(v);
        } else if (v < 0x800) {
            out.write(0xC0 | (v >> 6));
            out.write(0x80 | (v & 0x3F));
        } else if (v < 0x10000) {
            out.write(0xE0 | (v >> 12));
            out.write(0x80 | ((v >> 6) & 0x3F));
            out.write(0x80 | (v & 0x3F));
        } else {
            out.write(0xF0 | (v >> 18));
            out.write(0x80 | ((v >> 12) & 0x3F));
            out.write(0x80 | ((v >> 6) & 0x3F));
            out.write(0x80 | (v & 0x3F));
        }
    }

    /** The reference reads the file as UTF-8 text; so must we, or a str literal's bytes would be wrong. */
    private void checkUtf8() {
        // Fast path (intrinsified in the JDK): valid UTF-8 survives decoding and re-encoding unchanged.
        if (Arrays.equals(new String(data, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), data)) {
            return;
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data);
        CharBuffer cb = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = dec.decode(in, cb, true);
            if (r.isError()) {
                lineNo = 1;
                for (int i = 0; i < in.position(); i++) {
                    if (data[i] == '\n') {
                        lineNo++;
                    }
                }
                throw fail("not UTF-8 text");
            }
            if (r.isUnderflow()) {
                break;
            }
            cb.clear();
        }
        cb.clear();
        if (dec.flush(cb).isError()) {
            throw new EngineException("tokenizer vocabulary " + source + " is not UTF-8 text");
        }
    }

    private EngineException fail(String what) {
        return new EngineException("tokenizer vocabulary " + source + " line " + lineNo + ": " + what);
    }

    /** A growable byte buffer without ByteArrayOutputStream's locking. */
    private static final class Buf {
        private byte[] b = new byte[256];
        private int n;

        void reset() {
            n = 0;
        }

        void write(int v) {
            if (n == b.length) {
                b = Arrays.copyOf(b, n * 2);
            }
            b[n++] = (byte) v;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(b, n);
        }
    }
}
