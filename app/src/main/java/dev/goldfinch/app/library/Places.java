package dev.goldfinch.app.library;

import java.util.Locale;

/**
 * Where a passage lies in its document, said for the kind of document it is: a PDF by its page, a text or Markdown
 * file by its heading or its lines, a presentation by its slide. {@code unit} is the document's ("page", "section",
 * "slide", "sheet"; see {@link DocumentMeta#unit()}), {@code number} the span's from 1 and {@code label} its name.
 */
public final class Places {
    private Places() {
    }

    /**
     * In full, as {@code ask --sources} prints it: "page 12", "page 12, iv", "section 3, Installation",
     * "lines 120–140", "Installation, lines 301–360" (a long section's later part), "slide 3", "sheet 2, Budget".
     */
    public static String spelledOut(String unit, int number, String label) {
        String u = unit(unit);
        if (unnamed(u, number, label)) return u + " " + number;
        if (u.equals("section") && isLineRange(label)) return label;
        return u + " " + number + ", " + label;
    }

    /** Briefly, beside a quote in the window: "p. 12", "p. iv", "Installation", "lines 120–140", "slide 3", "Budget". */
    public static String brief(String unit, int number, String label) {
        String u = unit(unit);
        if (u.equals("page")) return "p. " + (label == null || label.isBlank() ? Integer.toString(number) : label);
        if (unnamed(u, number, label)) return u + " " + number;
        return label;
    }

    private static String unit(String unit) {
        return unit == null || unit.isBlank() ? "page" : unit.toLowerCase(Locale.ROOT);
    }

    /** A label that says no more than the number: none, "3", or "Slide 3" for slide 3. */
    private static boolean unnamed(String unit, int number, String label) {
        if (label == null || label.isBlank()) return true;
        String l = label.strip();
        return l.equals(Integer.toString(number)) || l.equalsIgnoreCase(unit + " " + number);
    }

    /** "lines 120–140" or "line 7", and a long section's later part, "Installation, lines 301–360": the label says where. */
    private static boolean isLineRange(String label) {
        return label.matches("(?s)(.*, )?lines? \\d+(\u2013\\d+)?");
    }
}
