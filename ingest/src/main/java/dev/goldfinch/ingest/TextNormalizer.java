package dev.goldfinch.ingest;

import java.text.Normalizer;

/**
 * Cleans extracted text without changing its meaning. NFKC is applied only to the characters where it is safe:
 * Latin and Armenian ligatures (ﬁ → fi), Arabic presentation forms, half- and full-width forms; every kind of space
 * becomes a plain space; invisible characters (zero-width space, word joiner, byte-order mark, soft hyphen) and
 * control characters other than newline and tab are removed; the result is in NFC. Superscripts, fractions,
 * ™ and the like are kept as they are, since NFKC would change what they say (x² is not x2).
 *
 * <p>Mathematical alphanumeric symbols (U+1D400-1D7FF: the italic 𝑥, bold 𝐀, script, fraktur, double-struck,
 * sans-serif and monospace letters and digits of typeset formulas), and the letterlike symbols that fill the gaps in
 * that block (ℎ, ℝ, ℬ, ℭ ...), are folded to plain letters and digits: "𝑓(𝑥) = 𝑎𝑥" becomes "f(x) = ax". The model's
 * vocabulary knows plain letters (a math letter costs it several rare byte tokens and reads as noise), a question
 * typed with plain letters then matches the text, and the text shows in any font; what is lost is only the style
 * that tells a vector 𝐯 from a scalar 𝑣, which the sentence around a formula usually says anyway.
 */
public final class TextNormalizer {
    /** The letterlike symbols that stand in for the holes of the mathematical alphanumeric block. */
    private static final String MATH_LETTERLIKE = "\u210E\u212C\u2130\u2131\u210B\u2110\u2112\u2133\u211B\u212F"
            + "\u210A\u2134\u212D\u210C\u2111\u211C\u2128\u2102\u210D\u2115\u2119\u211A\u211D\u2124";

    private TextNormalizer() {
    }

    private static boolean isMathAlphanumeric(int cp) {
        return cp >= 0x1D400 && cp <= 0x1D7FF;
    }

    public static String normalize(CharSequence in) {
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
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(in.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, in.charAt(++i));
                if (isMathAlphanumeric(cp)) {
                    out.append(Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKC));
                } else {
                    out.appendCodePoint(cp);
                }
            } else if (c == '\t') {
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
            } else if (isCompatibilitySafe(c) || MATH_LETTERLIKE.indexOf(c) >= 0) {
                out.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            } else {
                out.append(c);
            }
        }
        String s = out == null ? in.toString() : out.toString();
        return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    /** A metadata value (a title, an author) normalised and stripped, or null if nothing is left of it. */
    public static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = normalize(s).strip();
        return t.isEmpty() ? null : t;
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
}
