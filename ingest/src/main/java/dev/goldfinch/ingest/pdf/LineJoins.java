package dev.goldfinch.ingest.pdf;

import java.util.List;

import dev.goldfinch.ingest.TextNormalizer;

/**
 * A page's lines joined into its text: a newline between lines, a blank line before a paragraph, and a word that a
 * line-end hyphen split ("infor-" + "mation") whole again, when the next line goes on in lower case (after a soft
 * hyphen, with any letter); a hyphen before a capital ("Baden-" + "Württemberg") is a real one and stays.
 *
 * <p><b>A word split across a page break</b> ("infor-" ending page 3, "mation" starting page 4) is joined like one
 * split across lines, and the whole word goes to the page where it starts: page 3's text ends with "information",
 * and page 4's text starts after the fragment. A citation of the word thus points at the page where a reader
 * first sees it. Only the last line of a page and the first line of the very next page are joined, after running
 * headers and footers are left out (so a page number under "infor-" does not stop the join), and only when the
 * next page goes on in lower case, as within a page.
 */
final class LineJoins {
    private LineJoins() {
    }

    /** The page's text: its lines normalised ({@link TextNormalizer}) and joined as the class comment says. */
    static String pageText(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        String pending = null;
        boolean pendingPara = false;
        for (Line l : lines) {
            String cur = l.text().strip();
            if (cur.isEmpty()) {
                continue;
            }
            String[] joined = pending == null ? null : hyphenated(pending, cur);
            if (joined != null) {
                pending = joined[0];
                cur = joined[1];
                if (cur.isEmpty()) {
                    continue;
                }
            }
            if (pending != null) {
                appendLine(sb, pending, pendingPara);
            }
            pending = cur;
            pendingPara = l.paragraphStart();
        }
        if (pending != null) {
            appendLine(sb, pending, pendingPara);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String line, boolean paragraph) {
        String norm = TextNormalizer.normalize(line).strip();
        if (norm.isEmpty()) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(paragraph ? "\n\n" : "\n");
        }
        sb.append(norm);
    }

    /**
     * Joins a word split by a hyphen at the end of one page and the start of the next: the word goes to the page
     * where it starts (see the class comment). Works on the lines kept after running headers and footers are
     * dropped; changes {@code pages} in place.
     */
    static void acrossPages(List<List<Line>> pages) {
        for (int p = 0; p + 1 < pages.size(); p++) {
            List<Line> a = pages.get(p);
            List<Line> b = pages.get(p + 1);
            if (a.isEmpty() || b.isEmpty()) {
                continue;
            }
            Line last = a.getLast();
            Line first = b.getFirst();
            String[] joined = hyphenated(last.text().strip(), first.text().strip());
            if (joined == null) {
                continue;
            }
            a.set(a.size() - 1, last.withText(joined[0]));
            if (joined[1].isEmpty()) {
                b.removeFirst();
            } else {
                b.set(0, first.withText(joined[1]));
            }
        }
    }

    /**
     * If {@code line} ends with a word split by a hyphen and {@code next} goes on with the rest of it (in lower
     * case; after a soft hyphen, any letter), the line with the word whole and what is left of {@code next};
     * otherwise null. Both are stripped.
     */
    static String[] hyphenated(String line, String next) {
        if (next.isEmpty() || !endsWithBreakHyphen(line)) {
            return null;
        }
        char hyphen = line.charAt(line.length() - 1);
        char first = next.charAt(0);
        if (!Character.isLowerCase(first) && !(hyphen == '\u00ad' && Character.isLetter(first))) {
            return null;
        }
        int sp = 0;
        while (sp < next.length() && !Character.isWhitespace(next.charAt(sp))) {
            sp++;
        }
        return new String[] {line.substring(0, line.length() - 1) + next.substring(0, sp), next.substring(sp).strip()};
    }

    /** True if the line ends in a hyphen that may split a word across lines ("infor-"). */
    private static boolean endsWithBreakHyphen(String line) {
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
