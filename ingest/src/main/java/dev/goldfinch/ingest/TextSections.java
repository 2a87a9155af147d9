package dev.goldfinch.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sections of a text file, found once its text is built, so that a source can say where it is.
 *
 * <p>Markdown: a section at each ATX heading ({@code #} to {@code ######}) and Setext heading (a one-line paragraph
 * underlined with {@code ===} or {@code ---}), outside fenced code; each is labelled with its heading's text (inline
 * markup dropped, shortened to {@value #MAX_LABEL} characters), what comes before the first heading is "Start". The
 * title is the front matter's {@code title} (YAML between {@code ---} lines, or TOML between {@code +++}, at the top
 * of the file), else the first heading. The front matter is left out of the text: it is data for tools (layout,
 * tags, dates), and its one useful field, the title, is kept as the title.
 *
 * <p>Plain text, and Markdown without headings: sections of about {@value #TARGET_ROWS} lines, cut at a blank line
 * where one is near, labelled with the file's line numbers ("lines 121–180", counted from 1 as an editor does). A
 * long text with clear headings (a line standing alone in ALL CAPS, numbered as "1. Introduction" or "2.3 Results",
 * or "Chapter 3") is cut at them and labelled with them. A heading's section that runs long is cut by lines as well
 * ("Installation, lines 301–360"). A text of up to {@value #MAX_ROWS} lines is one section.
 *
 * <p>Lengths are counted in rows of {@value #ROW_CHARS} characters, not in lines, so that a file with one paragraph
 * per line is not one section per thousand paragraphs.
 */
final class TextSections {
    static final int MIN_ROWS = 40;
    static final int TARGET_ROWS = 60;
    static final int MAX_ROWS = 80;
    /** A cut leaves at least this much after it: no section of a few lines at the end of a long one. */
    static final int MIN_TAIL_ROWS = 20;
    static final int ROW_CHARS = 100;
    static final int MAX_LABEL = 60;
    /** Front matter longer than this is taken for text that starts with a rule. */
    private static final int MAX_FRONT_MATTER_LINES = 200;

    private static final Pattern ATX = Pattern.compile(" {0,3}(#{1,6})[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*");
    private static final Pattern SETEXT_UNDERLINE = Pattern.compile(" {0,3}(?:=+|-{2,})[ \\t]*");
    private static final Pattern THEMATIC_BREAK = Pattern.compile(" {0,3}([-*_])(?:[ \\t]*\\1){2,}[ \\t]*");
    private static final Pattern FENCE = Pattern.compile(" {0,3}(`{3,}|~{3,})(.*)");
    /** Lines that are not a paragraph's text (a quote, a list item, a table row, indented code, HTML). */
    private static final Pattern NOT_PARAGRAPH = Pattern.compile(
            "(?: {4,}|\\t| {0,3}(?:[>|<]|[-*+](?:[ \\t]|$)|\\d{1,9}[.)](?:[ \\t]|$))).*");
    private static final Pattern NUMBERED_HEADING = Pattern.compile(
            "(?:\\d{1,3}(?:\\.\\d{1,3})*\\.?|[IVXLC]{1,7}\\.)[ \\t]+\\p{Lu}.*");
    private static final Pattern NAMED_HEADING = Pattern.compile(
            "(?:(?i)chapter|part|section|book|appendix)[ \\t]+(?:\\d{1,3}(?:\\.\\d{1,3})*|[IVXLC]{1,7}|[A-Z])\\b.*");
    private static final Pattern FRONT_MATTER_KEY = Pattern.compile("[A-Za-z_][\\w.-]*[ \\t]*[:=].*");

    /** The non-blank lines of a text as they went into it: each one's number in the file (from 1), its offset in the text. */
    static final class Lines {
        private int[] numbers = new int[256];
        private int[] offsets = new int[256];
        private int size;

        /** Records a line; {@code offset} is where {@link TextBuilder#appendLine} put it, -1 for a blank line. */
        void add(int number, int offset) {
            if (offset < 0) {
                return;
            }
            if (size == numbers.length) {
                numbers = Arrays.copyOf(numbers, size * 2);
                offsets = Arrays.copyOf(offsets, size * 2);
            }
            numbers[size] = number;
            offsets[size] = offset;
            size++;
        }
    }

    /** The text (without a Markdown front matter), its sections, and the title they gave, or null. */
    record Result(String text, List<PageSpan> pages, String title) {
    }

    private record Heading(int line, String text) {
    }

    private record Part(int line, String label) {
    }

    private final String text;
    private final int[] numbers;
    private final int[] offsets;
    private final int n;
    /** Where each line starts, counted in rows: its line number plus the extra rows of the long lines before it. */
    private final int[] rowAt;
    private final int endRow;

    private TextSections(String text, Lines lines) {
        this.text = text;
        this.numbers = lines.numbers;
        this.offsets = lines.offsets;
        this.n = lines.size;
        this.rowAt = new int[n];
        int extra = 0;
        for (int i = 0; i < n; i++) {
            rowAt[i] = numbers[i] + extra;
            extra += rows(i) - 1;
        }
        this.endRow = n == 0 ? 0 : rowAt[n - 1] + rows(n - 1);
    }

    static Result of(String text, Lines lines, boolean markdown) {
        return new TextSections(text, lines).split(markdown);
    }

    private Result split(boolean markdown) {
        if (n == 0) {
            return new Result(text, List.of(new PageSpan(1, 0, text.length(), markdown ? "Start" : "line 1")), null);
        }
        int first = 0;
        String title = null;
        if (markdown) {
            int afterFrontMatter = frontMatterEnd();
            if (afterFrontMatter > 0) {
                title = frontMatterTitle(afterFrontMatter);
                first = afterFrontMatter;
            }
        }
        int cut = first < n ? offsets[first] : text.length();
        String body = text.substring(cut);
        if (first == n) {
            return new Result(body, List.of(new PageSpan(1, 0, 0, "Start")), title);
        }
        List<Heading> headings = markdown ? markdownHeadings(first) : List.of();
        boolean markdownSections = !headings.isEmpty();
        if (markdownSections && title == null) {
            title = headings.getFirst().text();
        }
        if (!markdownSections && endRow - rowAt[first] > MAX_ROWS) {
            headings = plainHeadings(first);
        }
        List<Part> parts = new ArrayList<>();
        if (headings.isEmpty() || headings.getFirst().line() > first) {
            int end = headings.isEmpty() ? n : headings.getFirst().line();
            splitBlock(first, end, markdownSections ? "Start" : null, parts);
        }
        for (int h = 0; h < headings.size(); h++) {
            int end = h + 1 < headings.size() ? headings.get(h + 1).line() : n;
            splitBlock(headings.get(h).line(), end, shorten(headings.get(h).text()), parts);
        }
        List<PageSpan> spans = new ArrayList<>(parts.size());
        for (int p = 0; p < parts.size(); p++) {
            int start = p == 0 ? 0 : offsets[parts.get(p).line()] - cut;
            int end = p + 1 < parts.size() ? offsets[parts.get(p + 1).line()] - cut : body.length();
            spans.add(new PageSpan(p + 1, start, end, parts.get(p).label()));
        }
        return new Result(body, spans, title);
    }

    /**
     * Cuts lines [from, to) into parts of about {@value #TARGET_ROWS} rows: at the first blank line after
     * {@value #TARGET_ROWS}, else at the last one after {@value #MIN_ROWS}, else at row {@value #MAX_ROWS}.
     * The first part is labelled {@code heading} (line numbers when null), the others by lines.
     */
    private void splitBlock(int from, int to, String heading, List<Part> parts) {
        int blockEnd = to < n ? rowAt[to] : endRow;
        List<Integer> starts = new ArrayList<>();
        starts.add(from);
        int start = from;
        int fallback = -1;
        for (int i = from + 1; i < to; i++) {
            int size = rowAt[i] - rowAt[start];
            boolean paragraph = numbers[i] > numbers[i - 1] + 1;
            boolean roomAfter = blockEnd - rowAt[i] >= MIN_TAIL_ROWS;
            int cutAt = -1;
            if (paragraph && size >= TARGET_ROWS && roomAfter) {
                cutAt = i;
            } else if (size >= MAX_ROWS && (fallback >= 0 || roomAfter)) {
                cutAt = fallback >= 0 ? fallback : i;
            } else if (paragraph && size >= MIN_ROWS && roomAfter) {
                fallback = i;
            }
            if (cutAt >= 0) {
                starts.add(cutAt);
                start = cutAt;
                fallback = -1;
            }
        }
        for (int s = 0; s < starts.size(); s++) {
            int line = starts.get(s);
            int last = s + 1 < starts.size() ? starts.get(s + 1) - 1 : to - 1;
            String lines = lineRange(numbers[line], numbers[last]);
            String label = heading == null ? lines : s == 0 ? heading : heading.equals("Start") ? lines : heading + ", " + lines;
            parts.add(new Part(line, label));
        }
    }

    static String lineRange(int first, int last) {
        return first == last ? "line " + first : "lines " + first + "\u2013" + last;
    }

    // ---- Markdown

    /** The index of the first line after a front matter at the top, or 0 if there is none. */
    private int frontMatterEnd() {
        if (numbers[0] != 1) {
            return 0;
        }
        String open = line(0).strip();
        if (!open.equals("---") && !open.equals("+++")) {
            return 0;
        }
        for (int i = 1; i < n && numbers[i] <= MAX_FRONT_MATTER_LINES; i++) {
            String l = line(i);
            String s = l.strip();
            if (s.equals(open) || open.equals("---") && s.equals("...")) {
                return i + 1;
            }
            if (i == 1 && !FRONT_MATTER_KEY.matcher(l).matches() && !s.startsWith("#")) {
                return 0; // a rule at the top of ordinary text, not "key: value"
            }
        }
        return 0;
    }

    /** The title of the front matter that ends before line {@code end}: a top-level {@code title:} (or {@code title =}). */
    private String frontMatterTitle(int end) {
        for (int i = 1; i < end - 1; i++) {
            String l = line(i);
            if (!l.regionMatches(true, 0, "title", 0, 5)) {
                continue;
            }
            String rest = l.substring(5).stripLeading();
            if (rest.isEmpty() || rest.charAt(0) != ':' && rest.charAt(0) != '=') {
                continue;
            }
            String value = rest.substring(1).strip();
            if (value.isEmpty() || value.equals("|") || value.equals(">") || value.startsWith("|-") || value.startsWith(">-")) {
                // a block value: the indented lines after it
                StringBuilder sb = new StringBuilder();
                for (int j = i + 1; j < end - 1 && numbers[j] == numbers[j - 1] + 1 && Character.isWhitespace(line(j).charAt(0)); j++) {
                    sb.append(' ').append(line(j).strip());
                }
                value = sb.toString().strip();
            } else {
                value = scalar(value);
            }
            return TextNormalizer.blankToNull(value);
        }
        return null;
    }

    /** A one-line YAML or TOML value: quotes taken off (with their escapes), a trailing comment dropped. */
    private static String scalar(String v) {
        char q = v.charAt(0);
        if (q == '"' || q == '\'') {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < v.length(); i++) {
                char c = v.charAt(i);
                if (q == '"' && c == '\\' && i + 1 < v.length()) {
                    sb.append(v.charAt(++i));
                } else if (c == q && q == '\'' && i + 1 < v.length() && v.charAt(i + 1) == '\'') {
                    sb.append('\'');
                    i++;
                } else if (c == q) {
                    break;
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        int comment = v.indexOf(" #");
        return comment >= 0 ? v.substring(0, comment) : v;
    }

    /** ATX and Setext headings from line {@code from} on, outside fenced code. */
    private List<Heading> markdownHeadings(int from) {
        List<Heading> out = new ArrayList<>();
        char fence = 0;
        int fenceLength = 0;
        boolean aboveIsText = false; // the line directly above is paragraph text
        boolean aboveStartsParagraph = false;
        for (int i = from; i < n; i++) {
            if (i == from || numbers[i] != numbers[i - 1] + 1) {
                aboveIsText = false;
            }
            String line = line(i);
            Matcher f = FENCE.matcher(line);
            if (fence != 0) {
                if (f.matches() && f.group(1).charAt(0) == fence && f.group(1).length() >= fenceLength && f.group(2).isBlank()) {
                    fence = 0;
                }
                aboveIsText = false;
                continue;
            }
            if (f.matches() && !(f.group(1).charAt(0) == '`' && f.group(2).indexOf('`') >= 0)) {
                fence = f.group(1).charAt(0);
                fenceLength = f.group(1).length();
                aboveIsText = false;
                continue;
            }
            Matcher atx = ATX.matcher(line);
            if (atx.matches()) {
                String heading = inline(atx.group(2));
                if (!heading.isEmpty()) {
                    out.add(new Heading(i, heading));
                }
                aboveIsText = false;
                continue;
            }
            if (SETEXT_UNDERLINE.matcher(line).matches() && aboveIsText && aboveStartsParagraph
                    && !NOT_PARAGRAPH.matcher(line(i - 1)).matches()) {
                String heading = inline(line(i - 1));
                if (!heading.isEmpty()) {
                    out.add(new Heading(i - 1, heading));
                }
                aboveIsText = false;
                continue;
            }
            if (THEMATIC_BREAK.matcher(line).matches()) {
                aboveIsText = false;
                continue;
            }
            aboveStartsParagraph = !aboveIsText;
            aboveIsText = true;
        }
        return out;
    }

    /** A heading's text as a reader sees it: links and images by their text, emphasis, code marks and tags dropped. */
    static String inline(String s) {
        String t = s.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1")
                .replaceAll("\\[([^\\]]+)]\\[[^\\]]*]", "$1")
                .replaceAll("<[^>]*>", "")
                .replaceAll("[ \\t]*\\{#[^}]*}[ \\t]*$", "")
                .replace("`", "")
                .replace("**", "")
                .replace("__", "")
                .replaceAll("(?<![\\p{L}\\p{N}])[*_]|[*_](?![\\p{L}\\p{N}])", "");
        return t.replaceAll("\\s+", " ").strip();
    }

    // ---- plain text

    /**
     * Clear headings of a plain text: a line alone between blank lines, at most {@value #MAX_LABEL} characters, in
     * ALL CAPS, numbered ("1. Introduction", "2.3 Results", "IV. Methods") or named ("Chapter 3", "Appendix A"),
     * followed by at least three rows of text before the next one (a numbered list is not a row of headings). Used
     * when there are at least two.
     */
    private List<Heading> plainHeadings(int from) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = from; i < n - 1; i++) {
            boolean alone = (i == from || numbers[i] > numbers[i - 1] + 1) && numbers[i + 1] > numbers[i] + 1;
            if (alone && looksLikeHeading(line(i).strip())) {
                candidates.add(i);
            }
        }
        List<Heading> out = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            int line = candidates.get(c);
            int next = c + 1 < candidates.size() ? candidates.get(c + 1) : n;
            int textRows = 0;
            for (int j = line + 1; j < next && textRows < 3; j++) {
                textRows += rows(j);
            }
            if (textRows >= 3) {
                // "CHAPTER IV." names its section as "CHAPTER IV"
                out.add(new Heading(line, line(line).strip().replaceAll("\\s+", " ").replaceAll("[.:]$", "")));
            }
        }
        return out.size() >= 2 ? out : List.of();
    }

    static boolean looksLikeHeading(String s) {
        if (s.length() < 3 || s.length() > MAX_LABEL) {
            return false;
        }
        char end = s.charAt(s.length() - 1);
        if (NUMBERED_HEADING.matcher(s).matches() || NAMED_HEADING.matcher(s).matches()) {
            return ".,;:!?".indexOf(end) < 0 || NAMED_HEADING.matcher(s).matches() && end == '.';
        }
        int upper = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isLowerCase(cp)) {
                return false;
            }
            if (Character.isUpperCase(cp)) {
                upper++;
            }
            i += Character.charCount(cp);
        }
        return upper >= 3 && end != ',' && end != ';';
    }

    // ---- lines

    /** The text of line {@code i} (up to its first line break: a file line may hold a line separator). */
    private String line(int i) {
        int end = i + 1 < n ? offsets[i + 1] : text.length();
        int nl = text.indexOf('\n', offsets[i]);
        return text.substring(offsets[i], nl >= 0 && nl < end ? nl : end);
    }

    private int rows(int i) {
        int end = i + 1 < n ? offsets[i + 1] : text.length();
        return Math.max(1, (end - offsets[i] + ROW_CHARS - 1) / ROW_CHARS);
    }

    /** A label of at most {@value #MAX_LABEL} characters, cut at a word where it can be. */
    static String shorten(String s) {
        if (s.length() <= MAX_LABEL) {
            return s;
        }
        int cut = s.lastIndexOf(' ', MAX_LABEL - 1);
        if (cut < MAX_LABEL / 2) {
            cut = MAX_LABEL - 1;
        }
        return s.substring(0, cut).stripTrailing() + "\u2026";
    }
}
