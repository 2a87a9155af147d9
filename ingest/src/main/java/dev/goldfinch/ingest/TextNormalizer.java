package dev.goldfinch.ingest;

import java.text.Normalizer;

/**
 * Cleans extracted text without changing its meaning. NFKC is applied only to the characters where it is safe:
 * Latin and Armenian ligatures (ﬁ → fi), Arabic presentation forms, half- and full-width forms; every kind of space
 * becomes a plain space; invisible characters (zero-width space, word joiner, byte-order mark, soft hyphen) and
 * control characters other than newline and tab are removed; the result is in NFC. Superscripts, fractions,
 * ™ and the like are kept as they are, since NFKC would change what they say (x² is not x2).
 */
final class TextNormalizer {
    private TextNormalizer() {
    }

    static String normalize(CharSequence in) {
        StringBuilder out = null;
        int n = in.length();
        for (int i = 0; i < n; i++) {
            char c = in.charAt(i);
            if (c >= 0x20 && c < 0x7f || c == '\n') {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16);
                out.append(in, 0, i);
            }
            if (c == '\t') {
                out.append('\t');
            } else if (c == '\r') {
                if (i + 1 >= n || in.charAt(i + 1) != '\n') {
                    out.append('\n');
                }
            } else if (c == '\f' || c == 0x0b || c == 0x2028 || c == 0x2029) {
                out.append('\n');
            } else if (c < 0x20 || c >= 0x7f && c < 0xa0 || isInvisible(c)) {
                // drop control characters and invisible formatting characters
            } else if (Character.getType(c) == Character.SPACE_SEPARATOR) {
                out.append(' ');
            } else if (isCompatibilitySafe(c)) {
                out.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            } else {
                out.append(c);
            }
        }
        String s = out == null ? in.toString() : out.toString();
        return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    private static boolean isInvisible(char c) {
        return c == 0x00ad || c == 0x200b || c == 0x2060 || c == 0xfeff || c == 0x180e
                || c >= 0x200c && c <= 0x200f && c != 0x200c && c != 0x200d; // keep ZWNJ/ZWJ (needed in some scripts)
    }

    private static boolean isCompatibilitySafe(char c) {
        return c >= 0xfb00 && c <= 0xfb06          // ff fi fl ffi ffl ſt st
                || c >= 0xfb13 && c <= 0xfb17      // Armenian ligatures
                || c >= 0xfb50 && c <= 0xfdff      // Arabic presentation forms A
                || c >= 0xfe70 && c <= 0xfefe      // Arabic presentation forms B
                || c >= 0xff01 && c <= 0xffee;     // half- and full-width forms
    }

    /** True if the line ends in a hyphen that may split a word across lines ("infor-"). */
    static boolean endsWithBreakHyphen(String line) {
        int n = line.length();
        if (n < 2) {
            return false;
        }
        char h = line.charAt(n - 1);
        if (h != '-' && h != '\u2010' && h != '\u00ad') {
            return false;
        }
        return Character.isLetter(line.charAt(n - 2));
    }
}
