package dev.goldfinch.app.models;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Content-Range} header: the bytes a 206 answer carries of the whole file ({@code bytes START-END/TOTAL}),
 * or the size a 416 answer gives ({@code bytes *}{@code /TOTAL}); -1 for a "*".
 */
record ContentRange(long start, long end, long total) {
    private static final Pattern FORM = Pattern.compile("(?i)bytes\\s+(\\*|(\\d+)-(\\d+))/(\\*|\\d+)");

    /** The header's range, or null when it is missing or not one. */
    static ContentRange parse(String header) {
        Matcher m = FORM.matcher(header.trim());
        if (!m.matches()) return null;
        long total = m.group(4).equals("*") ? -1 : Long.parseLong(m.group(4));
        if (m.group(1).equals("*")) return new ContentRange(-1, -1, total);
        return new ContentRange(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), total);
    }
}
