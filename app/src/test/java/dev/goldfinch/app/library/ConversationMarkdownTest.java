package dev.goldfinch.app.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.store.Message;
import dev.goldfinch.engine.store.Message.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationMarkdownTest {
    @TempDir
    Path dir;

    private static final List<Source> SOURCES = List.of(
            new Source(10, 40, 0.42, 12, "iv", "Goldfinches eat\nthistle seeds in winter."),
            new Source(90, 120, 0.004, 3, null, "They nest late."));

    private static List<Message> messages() {
        return List.of(
                new Message(1, 7, Role.USER, "What do they eat?", null, null, 0, true),
                new Message(2, 7, Role.ASSISTANT, "Thistle seeds.", "They asked about food.", SourcesJson.write(SOURCES), 0, true),
                new Message(3, 7, Role.USER, "And where do they nest?", null, null, 0, true),
                new Message(4, 7, Role.ASSISTANT, "In trees.", null, null, 0, false));
    }

    @Test
    void aConversationIsMarkdownWithItsQuestionsAnswersThinkingAndSources() {
        String md = ConversationMarkdown.of("What do they eat?", "Field notes", "notes.pdf", "page", messages());
        assertEquals("""
                # What do they eat?

                Document: **Field notes** (`notes.pdf`)

                ## Question

                What do they eat?

                ## Answer

                <details>
                <summary>Thinking</summary>

                They asked about food.

                </details>

                Thistle seeds.

                Sources (where the model looked):

                - p. iv · 42% · “Goldfinches eat thistle seeds in winter.”
                - p. 3 · <1% · “They nest late.”

                ## Question

                And where do they nest?

                ## Answer

                In trees.

                *(this message is damaged in the store: its text may not be the one written)*
                """, md);
    }

    @Test
    void sourcesSayWhereTheyLieInTheDocumentsOwnTerms() {
        Source s = new Source(0, 5, 0.25, 3, "Installation", "Run it.");
        assertEquals("Installation · 25% · “Run it.”", ConversationMarkdown.sourceLine("section", s));
        assertEquals("p. Installation · 25% · “Run it.”", ConversationMarkdown.sourceLine("page", s));
    }

    @Test
    void aCopiedAnswerIsItsTextThenItsSourcesOneALine() {
        assertEquals("Thistle seeds.", ConversationMarkdown.answerWithSources("Thistle seeds.", "page", List.of()));
        assertEquals("Thistle seeds.\n\nSources (where the model looked):\n- p. iv · 42% · “Goldfinches eat thistle seeds in winter.”\n- p. 3 · <1% · “They nest late.”\n",
                ConversationMarkdown.answerWithSources("Thistle seeds.", "page", SOURCES));
    }

    /** A recurrent model's sources say what they are, in the export and on the clipboard; an old row's are attention sources. */
    @Test
    void textMatchesAreLabelledAsSuch() {
        List<Source> matches = List.of(new Source(0, 20, 0.61, 2, "2", "The rent is due on the third.", Source.Kind.TEXT_MATCH));
        String md = ConversationMarkdown.of("Rent", "Lease", null, "page", List.of(
                new Message(1, 7, Role.USER, "When is the rent due?", null, null, 0, true),
                new Message(2, 7, Role.ASSISTANT, "On the third.", null, SourcesJson.write(matches), 0, true),
                new Message(3, 7, Role.USER, "And before?", null, null, 0, true),
                new Message(4, 7, Role.ASSISTANT, "Thistle seeds.", null, "[{\"start\":1,\"end\":9,\"share\":0.5,\"page\":1,\"pageLabel\":\"1\",\"text\":\"Seeds.\"}]", 0, true)));
        assertTrue(md.contains("On the third.\n\nSources (passages matching the answer):\n\n- p. 2 · 61% · “The rent is due on the third.”\n"), md);
        assertTrue(md.contains("Thistle seeds.\n\nSources (where the model looked):\n\n- p. 1 · 50% · “Seeds.”\n"), md);
        assertEquals("On the third.\n\nSources (passages matching the answer):\n- p. 2 · 61% · “The rent is due on the third.”\n",
                ConversationMarkdown.answerWithSources("On the third.", "page", matches));
    }

    @Test
    void theFileIsWrittenAtomicallyAndNamedAfterTheTitle() throws Exception {
        assertEquals("What do they eat.md", ConversationMarkdown.fileName("What do they eat?"));
        assertEquals("a b.md", ConversationMarkdown.fileName("a/b"));
        assertEquals("conversation.md", ConversationMarkdown.fileName("  "));
        Path f = dir.resolve("out.md");
        Files.writeString(f, "old");
        ConversationMarkdown.write(f, "# new\n");
        assertEquals("# new\n", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
        }
        assertTrue(Files.isRegularFile(f));
        assertFalse(Files.exists(dir.resolve("out.md.tmp")));
    }
}
