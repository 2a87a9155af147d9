package dev.goldfinch.ingest.pdf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.goldfinch.ingest.TextNormalizer;

/**
 * Running headers and footers of a PDF: lines among the two topmost (in the top fifth of the page) or the two
 * bottommost (in the bottom fifth) whose text repeats on at least 40% of the pages with text, and on at least 3.
 *
 * <p>"Repeats" means the same text up to page numbers. Short lines (up to five words) match with their numbers
 * masked, so "Page 3 of 9" matches "Page 4 of 9"; longer lines must match exactly, so body text that merely differs
 * in a number is never taken for a running header. A masked number must then behave like a page number or a fixed
 * one across the pages it is on: the same everywhere ("of 9", "2024"), or rising with the page ("Page 3" on the
 * third page, "Page 4" on the fourth, whatever the offset); "Chapter 7", "Chapter 2", "Chapter 9" at the top of
 * pages are headings, not a running header.
 *
 * <p>A page never loses all of its text to this: on a page where every line would be left out (a page holding
 * only a title at the top, a blank page with only its header), they all stay.
 */
final class RunningLines {
    private static final Pattern ROMAN = Pattern.compile("[ivxlcdm]+");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final int MAX_WORDS_MASKED = 5;

    private RunningLines() {
    }

    private record Seen(int page, Line line) {
    }

    /**
     * The document's pages with their running headers and footers left out.
     *
     * @param kept    each page's other lines, in order, in lists of their own (the join across pages changes them)
     * @param dropped each page's running lines as normalised text, in order (the page map keeps them)
     * @param running the running lines of the whole document, each mapped to that text
     */
    record Split(List<List<Line>> kept, List<List<String>> dropped, Map<Line, String> running) {

        /** What to tell the reader about the lines left out (the longest as an example), or null if none were. */
        String warning() {
            int count = dropped.stream().mapToInt(List::size).sum();
            if (count == 0) {
                return null;
            }
            String example = running.values().stream().max(Comparator.comparingInt(String::length)
                    .thenComparing(Comparator.naturalOrder())).orElse("");
            return "left out " + count + " running header/footer lines repeated on most pages (e.g. \""
                    + shorten(example) + "\")";
        }

        private static String shorten(String s) {
            return s.length() > 40 ? s.substring(0, 37) + "..." : s;
        }
    }

    /** Each page's lines parted into its running lines and the others. */
    static Split split(List<PageLines> pages) {
        Map<Line, String> running = find(pages);
        List<List<Line>> kept = new ArrayList<>(pages.size());
        List<List<String>> dropped = new ArrayList<>(pages.size());
        for (PageLines page : pages) {
            List<String> drop = new ArrayList<>();
            List<Line> keep = new ArrayList<>();
            for (Line l : page.lines()) {
                if (running.containsKey(l)) {
                    drop.add(TextNormalizer.normalize(l.text().strip()));
                } else {
                    keep.add(l);
                }
            }
            dropped.add(drop);
            kept.add(keep);
        }
        return new Split(kept, dropped, running);
    }

    /** The running lines of the document, each mapped to its text. */
    static Map<Line, String> find(List<PageLines> pages) {
        Map<Line, String> out = new IdentityHashMap<>();
        int withText = 0;
        for (PageLines p : pages) {
            if (!p.lines().isEmpty()) {
                withText++;
            }
        }
        if (withText < 3) {
            return out;
        }
        Map<String, List<Seen>> byKey = new HashMap<>();
        for (int i = 0; i < pages.size(); i++) {
            for (Map.Entry<Line, String> c : candidates(pages.get(i)).entrySet()) {
                byKey.computeIfAbsent(c.getValue(), k -> new ArrayList<>()).add(new Seen(i, c.getKey()));
            }
        }
        int needed = Math.max(3, (int) Math.ceil(0.4 * withText));
        for (List<Seen> group : byKey.values()) {
            Set<Integer> on = new HashSet<>();
            group.forEach(s -> on.add(s.page));
            if (on.size() >= needed && numbersLikePageNumbers(group)) {
                group.forEach(s -> out.put(s.line, TextNormalizer.normalize(s.line.text().strip())));
            }
        }
        for (PageLines p : pages) {
            if (!p.lines().isEmpty() && p.lines().stream().allMatch(out::containsKey)) {
                p.lines().forEach(out::remove);
            }
        }
        return out;
    }

    /** The page's header and footer candidates, each with its key ("top:..." or "bottom:..."). */
    private static Map<Line, String> candidates(PageLines p) {
        Map<Line, String> cands = new IdentityHashMap<>();
        if (p.lines().isEmpty()) {
            return cands;
        }
        List<Line> byTop = new ArrayList<>(p.lines());
        byTop.sort((a, b) -> Float.compare(a.top(), b.top()));
        float h = p.height() > 0 ? p.height() : byTop.getLast().bottom();
        for (int k = 0; k < Math.min(2, byTop.size()); k++) {
            Line l = byTop.get(k);
            if (l.top() < 0.2f * h && !key(l.text()).isEmpty()) {
                cands.put(l, "top:" + key(l.text()));
            }
        }
        for (int k = byTop.size() - 1; k >= Math.max(0, byTop.size() - 2); k--) {
            Line l = byTop.get(k);
            if (l.bottom() > 0.8f * h && !cands.containsKey(l) && !key(l.text()).isEmpty()) {
                cands.put(l, "bottom:" + key(l.text()));
            }
        }
        return cands;
    }

    /** The text a line is matched by: lower case, spaces collapsed, numbers of a short line masked as "#". */
    static String key(String line) {
        String s = SPACES.matcher(line.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
        if (ROMAN.matcher(s).matches()) {
            return "#";
        }
        if (s.split(" ").length > MAX_WORDS_MASKED) {
            return s;
        }
        return DIGITS.matcher(s).replaceAll("#");
    }

    /**
     * True if each masked number of the group's lines is the same on every page, or is the page's index plus the
     * same offset on every page.
     */
    private static boolean numbersLikePageNumbers(List<Seen> group) {
        List<long[]> values = new ArrayList<>(group.size());
        for (Seen s : group) {
            long[] v = numbers(s.line.text());
            if (!values.isEmpty() && v.length != values.getFirst().length) {
                return false;
            }
            values.add(v);
        }
        if (!key(group.getFirst().line.text()).contains("#")) {
            return true;
        }
        for (int j = 0; j < values.getFirst().length; j++) {
            boolean same = true;
            boolean withPage = true;
            long first = values.getFirst()[j];
            long offset = first - group.getFirst().page;
            for (int k = 1; k < group.size(); k++) {
                long v = values.get(k)[j];
                same &= v == first;
                withPage &= v - group.get(k).page == offset;
            }
            if (!same && !withPage) {
                return false;
            }
        }
        return true;
    }

    /** The numbers in a line (a line that is one roman numeral counts as that number). */
    private static long[] numbers(String line) {
        String s = line.strip().toLowerCase(Locale.ROOT);
        if (ROMAN.matcher(s).matches()) {
            return new long[] {roman(s)};
        }
        List<Long> out = new ArrayList<>();
        Matcher m = DIGITS.matcher(s);
        while (m.find()) {
            String d = m.group();
            out.add(d.length() > 15 ? -1 : Long.parseLong(d));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static long roman(String s) {
        long total = 0;
        int prev = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            int v = switch (s.charAt(i)) {
                case 'i' -> 1;
                case 'v' -> 5;
                case 'x' -> 10;
                case 'l' -> 50;
                case 'c' -> 100;
                case 'd' -> 500;
                default -> 1000;
            };
            total += v < prev ? -v : v;
            prev = Math.max(prev, v);
        }
        return total;
    }
}
