package dev.goldfinch.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a document's text and its section map together: text is appended with lazy line and paragraph breaks
 * (collapsed, never doubled, never leading or trailing), and a section can be started at any point; the breaks
 * before a section belong to the section before it, so the spans come out contiguous.
 */
final class TextBuilder {
    private final Job job;
    private final StringBuilder out = new StringBuilder();
    private final List<Integer> starts = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final String firstLabel;
    private int pendingBreak;
    private boolean pendingSpace;

    TextBuilder(Job job, String firstLabel) {
        this.job = job;
        this.firstLabel = firstLabel;
    }

    /** Starts a new section here; its label may be set later with {@link #label}. Returns its index. */
    int section(String label) {
        if (!out.isEmpty()) {
            trimTrailingSpaces();
            out.append("\n\n");
        }
        pendingBreak = 0;
        pendingSpace = false;
        starts.add(out.length());
        labels.add(label);
        return starts.size() - 1;
    }

    void label(int section, String label) {
        labels.set(section, label);
    }

    int sections() {
        return starts.size();
    }

    /** Asks for a line break (1) or a blank line (2) before the next text. */
    void lineBreak(int kind) {
        pendingBreak = Math.max(pendingBreak, kind);
    }

    void space() {
        pendingSpace = true;
    }

    boolean atLineStart() {
        return out.isEmpty() || out.charAt(out.length() - 1) == '\n';
    }

    /** Appends text, collapsing every run of whitespace into one space (HTML rules). */
    void appendCollapsed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                pendingSpace = true;
            } else {
                put(c);
            }
        }
    }

    /**
     * Appends one line of plain text as it is (inner spacing kept, trailing spaces dropped); blank = paragraph.
     * Returns the offset in the text where the line starts, or -1 for a blank line.
     */
    int appendLine(String line) {
        String l = line.stripTrailing();
        if (l.isBlank()) {
            lineBreak(2);
            return -1;
        }
        flushBreak();
        if (!out.isEmpty() && !atSectionStart() && !atLineStart()) {
            out.append('\n');
        }
        int at = out.length();
        out.append(l);
        job.addChars(l.length());
        pendingSpace = false;
        lineBreak(1);
        return at;
    }

    /** Appends preformatted text: its spaces and line breaks are kept. */
    void appendPreformatted(String s) {
        String[] lines = s.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                if (out.isEmpty() || atSectionStart()) {
                    continue;
                }
                flushBreak();
                out.append('\n');
                job.addChars(1);
            }
            String l = lines[i];
            if (!l.isEmpty()) {
                flushBreak();
                if (pendingSpace && !atLineStart()) {
                    out.append(' ');
                }
                pendingSpace = false;
                out.append(l);
                job.addChars(l.length());
            }
        }
    }

    /** Appends text verbatim right here (a table cell separator), after any pending break. */
    void raw(String s) {
        flushBreak();
        out.append(s);
        job.addChars(s.length());
    }

    private void put(char c) {
        flushBreak();
        if (pendingSpace && !atLineStart()) {
            out.append(' ');
        }
        pendingSpace = false;
        out.append(c);
        job.addChars(1);
    }

    private void flushBreak() {
        if (starts.isEmpty()) {
            starts.add(0);
            labels.add(firstLabel);
        }
        if (pendingBreak > 0 && !out.isEmpty() && !atSectionStart()) {
            trimTrailingSpaces();
            int have = 0;
            for (int i = out.length() - 1; i >= 0 && out.charAt(i) == '\n' && have < 2; i--) {
                have++;
            }
            for (int i = have; i < pendingBreak; i++) {
                out.append('\n');
            }
            pendingSpace = false;
        }
        pendingBreak = 0;
    }

    private boolean atSectionStart() {
        return !starts.isEmpty() && starts.getLast() == out.length();
    }

    /** Removes trailing " |" cell separators and spaces at the end of the current line. */
    void trimRowEnd() {
        int n = out.length();
        while (n > 0) {
            char c = out.charAt(n - 1);
            if (c == ' ' || c == '|' && n >= 2 && out.charAt(n - 2) == ' ') {
                n--;
            } else {
                break;
            }
        }
        if (!starts.isEmpty() && n < starts.getLast()) {
            n = starts.getLast();
        }
        out.setLength(n);
        pendingSpace = false;
    }

    private void trimTrailingSpaces() {
        int n = out.length();
        int floor = starts.isEmpty() ? 0 : starts.getLast();
        while (n > floor && (out.charAt(n - 1) == ' ' || out.charAt(n - 1) == '\t')) {
            n--;
        }
        out.setLength(n);
    }

    String text() {
        return out.toString();
    }

    /** Finishes: trims trailing whitespace; returns the spans, labelling unnamed ones with {@code fallback}+n. */
    List<PageSpan> finish(String fallback) {
        int n = out.length();
        while (n > 0 && Character.isWhitespace(out.charAt(n - 1))) {
            n--;
        }
        out.setLength(n);
        if (starts.isEmpty()) {
            starts.add(0);
            labels.add(firstLabel);
        }
        List<PageSpan> spans = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            int s = Math.min(starts.get(i), n);
            int e = i + 1 < starts.size() ? Math.min(starts.get(i + 1), n) : n;
            String label = labels.get(i);
            if (label == null || label.isBlank()) {
                label = fallback + (i + 1);
            }
            spans.add(new PageSpan(i + 1, s, Math.max(s, e), label));
        }
        return spans;
    }
}
