package dev.goldfinch.app.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Titles and sections of text and Markdown files as the library keeps them. */
class IngestSourceTest {
    @TempDir
    Path dir;

    private final IngestSource source = new IngestSource(file -> null);

    @Test
    void markdownTitlesHaveNoHashMarks() throws Exception {
        assertEquals("Field notes", source.read(Files.writeString(dir.resolve("a.md"), "## Field notes\n\nSeen today.\n"), AddOptions.plain()).title());
        assertEquals("Field notes", source.read(Files.writeString(dir.resolve("b.md"),
                "---\ntitle: 'Field notes'\ndate: 2026-11-30\n---\n\n# Day one\n\nSeen today.\n"), AddOptions.plain()).title());
        assertEquals("A note without a heading", source.read(Files.writeString(dir.resolve("c.md"), "A note without a heading\n\nMore.\n"), AddOptions.plain()).title());
    }

    @Test
    void aTextFileKeepsItsSectionsThroughTheStoredMetadata() throws Exception {
        StringBuilder text = new StringBuilder("Field notes\n\n");
        for (int i = 0; i < 300; i++) text.append(i % 5 == 4 ? "\n" : "The goldfinch ate thistle seeds on day " + i + ".\n");
        Path file = Files.writeString(dir.resolve("notes.txt"), text);
        SourceDocument doc = source.read(file, AddOptions.plain());
        assertEquals("Field notes", doc.title());
        assertEquals("section", doc.unit());
        assertTrue(doc.pages().size() > 3, doc.pages().toString());
        DocumentMeta meta = DocumentMeta.parse(DocumentMeta.of(doc, file.toString(), false).toJson(), "notes.txt");
        assertEquals(doc.pages(), meta.pages());
        assertEquals("plain text", meta.formatName());
        assertTrue(meta.countText().endsWith(" sections"), meta.countText());
        int offset = doc.text().indexOf("day 150.");
        SourceDocument.Page page = meta.pageAt(offset, doc.text().length());
        List<String> lines = text.toString().lines().toList();
        int line = lines.indexOf("The goldfinch ate thistle seeds on day 150.") + 1;
        String[] range = page.label().substring("lines ".length()).split("\u2013");
        assertTrue(Integer.parseInt(range[0]) <= line && line <= Integer.parseInt(range[1]), line + " in " + page.label());
    }

    @Test
    void formatNames() {
        assertEquals("Markdown", new DocumentMeta("t", null, "text/markdown", "section", null, null, false).formatName());
        assertEquals("PDF", new DocumentMeta("t", null, "application/pdf", "page", null, null, false).formatName());
        assertEquals("Word", new DocumentMeta("t", null, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "section", null, null, false).formatName());
        assertEquals(null, new DocumentMeta("t", null, null, "page", null, null, false).formatName());
    }
}
