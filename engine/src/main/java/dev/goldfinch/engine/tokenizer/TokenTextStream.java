package dev.goldfinch.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns ids arriving one at a time (a generated answer) into text without breaking multi-byte UTF-8 characters:
 * a token may end in the middle of a character (emoji, CJK are often split over several byte tokens), so the bytes
 * of an incomplete trailing character are held back until the next token completes them.
 *
 * <p>The concatenation of everything {@link #push} and {@link #flush} return equals
 * {@link WorldTokenizer#decode(int[])} of all the ids. Not thread-safe: one stream per answer.
 *
 * <pre>{@code
 * TokenTextStream s = tokenizer.textStream();
 * for (int id : generated) out.print(s.push(id));
 * out.print(s.flush());
 * }</pre>
 */
public final class TokenTextStream {
    private final WorldTokenizer tokenizer;
    private byte[] buf = new byte[64];
    private int len;

    public TokenTextStream(WorldTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one id and returns the text it completes (possibly empty). Id 0 and unused ids add nothing. */
    public String push(int id) {
        return pushBytes(tokenizer.tokenBytes(id));
    }

    /** Adds raw bytes and returns the text they complete (possibly empty). */
    public String pushBytes(byte[] bytes) {
        if (len + bytes.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + bytes.length));
        }
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        int cut = completeLength(buf, len);
        if (cut == 0) {
            return "";
        }
        String s = new String(buf, 0, cut, StandardCharsets.UTF_8);
        System.arraycopy(buf, cut, buf, 0, len - cut);
        len -= cut;
        return s;
    }

    /** Returns whatever is held back (an incomplete character becomes U+FFFD) and empties the stream. */
    public String flush() {
        String s = new String(buf, 0, len, StandardCharsets.UTF_8);
        len = 0;
        return s;
    }

    /** Whether bytes of an incomplete character are held back. */
    public boolean hasPending() {
        return len > 0;
    }

    /**
     * The length of the prefix that can be decoded now: all of it, unless it ends in a proper prefix of a sequence
     * that Java's UTF-8 decoder reads as one unit (a valid character, or an encoded surrogate), which is held back. A held-back part starts at a lead byte, where the decoder starts afresh,
     * so decoding in pieces gives the same text as decoding at once.
     */
    static int completeLength(byte[] b, int len) {
        int lead = len - 1;
        while (lead >= 0 && len - lead < 4 && (b[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0) {
            return len;
        }
        int c = b[lead] & 0xFF;
        int need;
        int lo = 0x80;
        int hi = 0xBF; // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            need = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 3;
            if (c == 0xE0) {
                lo = 0xA0;
            } // ED A0..BF (an encoded surrogate) is held too: Java's decoder reads ED xx yy as one malformed unit
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 4;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return len; // ASCII or a byte that never starts a character: nothing to wait for
        }
        int have = len - lead;
        if (have >= need) {
            return len; // complete (or malformed beyond repair): decode it all
        }
        if (have >= 2) {
            int second = b[lead + 1] & 0xFF;
            if (second < lo || second > hi) {
                return len; // no continuation can make this valid
            }
        }
        return lead;
    }
}
