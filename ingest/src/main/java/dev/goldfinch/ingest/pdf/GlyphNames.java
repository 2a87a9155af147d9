package dev.goldfinch.ingest.pdf;

import org.apache.pdfbox.pdmodel.font.encoding.GlyphList;

/**
 * Unicode from a glyph's name, by the Adobe Glyph List rules, for the names PDFBox's lookup gives up on: names of
 * characters outside the Basic Multilingual Plane ("u1D465", the mathematical italic x of a math font), names of
 * several characters ("uni00660069", "f_i") and those with a suffix ("u1D465.ssty", a script-size variant). A font
 * with no ToUnicode map has only its glyph names to say what it draws; without this, such glyphs came out as the
 * raw character code ("A" for 𝑥).
 */
final class GlyphNames {
    private GlyphNames() {
    }

    /** The text the glyph name stands for, or null if the name does not say. */
    static String toUnicode(String name) {
        if (name == null || name.isEmpty() || name.equals(".notdef")) {
            return null;
        }
        int dot = name.indexOf('.');
        String stem = dot >= 0 ? name.substring(0, dot) : name;
        if (stem.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String part : stem.split("_", -1)) {
            String u = component(part);
            if (u == null) {
                return null;
            }
            out.append(u);
        }
        return out.toString();
    }

    private static String component(String part) {
        if (part.isEmpty()) {
            return null;
        }
        if (part.startsWith("uni") && part.length() > 3 && (part.length() - 3) % 4 == 0 && isHex(part, 3)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 3; i < part.length(); i += 4) {
                int c = Integer.parseInt(part.substring(i, i + 4), 16);
                if (c >= 0xD800 && c <= 0xDFFF) {
                    return null;
                }
                sb.append((char) c);
            }
            return sb.toString();
        }
        if (part.startsWith("u") && part.length() >= 5 && part.length() <= 7 && isHex(part, 1)) {
            int c = Integer.parseInt(part.substring(1), 16);
            if (c > Character.MAX_CODE_POINT || c >= 0xD800 && c <= 0xDFFF) {
                return null;
            }
            return Character.toString(c);
        }
        return GlyphList.getAdobeGlyphList().toUnicode(part);
    }

    private static boolean isHex(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            // the Adobe Glyph List wants upper-case hex digits
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
