package dev.goldfinch.app.library;

import dev.goldfinch.engine.store.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * A conversation as Markdown (Conversation → Export conversation…), and an answer with its sources as plain text
 * (an answer's Copy button), both with the same source lines: "p. 12 · 42% · “the quoted passage”", under a heading
 * that says their kind ("Sources (where the model looked):", "Sources (passages matching the answer):"). No UI.
 */
public final class ConversationMarkdown {
    private ConversationMarkdown() {
    }

    /**
     * The conversation {@code title} about the document {@code documentTitle} (added from {@code documentFile}), whose
     * spans are {@code unit}s ("page", "section"…): every question and answer in order, an answer's thinking folded in
     * a {@code <details>} block, each answer's sources as a list under the heading of their kind.
     */
    public static String of(String title, String documentTitle, String documentFile, String unit, List<Message> messages) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(oneLine(title)).append("\n\n");
        md.append("Document: **").append(oneLine(documentTitle)).append("**");
        if (documentFile != null && !documentFile.isBlank()) md.append(" (`").append(documentFile).append("`)");
        md.append("\n");
        for (Message m : messages) {
            if (m.role() == Message.Role.USER) {
                md.append("\n## Question\n\n").append(m.text().strip()).append("\n");
            } else {
                md.append("\n## Answer\n\n");
                if (m.thinking() != null && !m.thinking().isBlank()) {
                    md.append("<details>\n<summary>Thinking</summary>\n\n").append(m.thinking().strip()).append("\n\n</details>\n\n");
                }
                md.append(m.text().strip()).append("\n");
                List<Source> sources = SourcesJson.read(m.sources());
                if (!sources.isEmpty()) {
                    md.append("\n").append(heading(Source.kindOf(sources))).append(":\n\n");
                    for (Source s : sources) md.append("- ").append(sourceLine(unit, s)).append("\n");
                }
            }
            if (!m.intact()) md.append("\n*(this message is damaged in the store: its text may not be the one written)*\n");
        }
        return md.toString();
    }

    /** An answer as the Copy button puts it on the clipboard: its text, then the sources' heading and one line per source. */
    public static String answerWithSources(String text, String unit, List<Source> sources) {
        if (sources == null || sources.isEmpty()) return text;
        StringBuilder sb = new StringBuilder(text.strip()).append("\n\n").append(heading(Source.kindOf(sources))).append(":\n");
        for (Source s : sources) sb.append("- ").append(sourceLine(unit, s)).append("\n");
        return sb.toString();
    }

    /** "Sources (where the model looked)", "Sources (passages matching the answer)": what a list of sources of that kind is. */
    public static String heading(Source.Kind kind) {
        return "Sources (" + kind.label() + ")";
    }

    /** What to say when an answer has no source of that kind. */
    public static String none(Source.Kind kind) {
        return kind == Source.Kind.TEXT_MATCH ? "no matching passage (no sentence of the document shares a word with the question or the answer)"
                : "none (the answer's attention did not fall on the document)";
    }

    /** One source: where it lies ("p. 12", "Installation"), its share (of the attention, or of the match's score), and the whole passage quoted. */
    public static String sourceLine(String unit, Source s) {
        return Places.brief(unit, s.page(), s.pageLabel()) + " · " + share(s.share()) + " · “" + oneLine(s.text()) + "”";
    }

    /** "42%", or "<1%" for a share under one per cent. */
    public static String share(double share) {
        return share < 0.01 ? "<1%" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    /** A file name for the export: the conversation's title, with what file systems refuse taken out. */
    public static String fileName(String title) {
        String base = title == null ? "" : title.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]+", " ").replaceAll("\\s+", " ").strip();
        if (base.length() > 60) base = base.substring(0, 60).strip();
        return (base.isEmpty() ? "conversation" : base) + ".md";
    }

    /** Writes {@code markdown} to {@code file} atomically: a temporary file beside it, then moved into place. */
    public static void write(Path file, String markdown) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, markdown, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
