package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.DocumentMeta;
import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.SourceDocument;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.engine.store.StoredDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/** The library pane tells documents of one title apart by their file name and format, and their folder when needed. */
class LibraryPaneTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    /** A document as the library lists it, read from a real file by the app's own ingest. */
    private static DocumentStatus status(long id, Path file) {
        SourceDocument doc = new IngestSource(f -> null).read(file, dev.goldfinch.app.library.AddOptions.plain());
        String json = DocumentMeta.of(doc, file.toAbsolutePath().toString(), false).toJson();
        StoredDocument stored = new StoredDocument(id, doc.contentHash(), file.getFileName().toString(), 40, "", json, 0);
        return new DocumentStatus(stored, DocumentMeta.parse(json, stored.name()), CacheState.NOT_READ, 0, 0);
    }

    /** The second line of each entry as drawn, by title and then by its order in the list. */
    private static List<String> factLines(LibraryPane pane) {
        return onFx(() -> {
            List<String> out = new ArrayList<>();
            for (Node n : pane.listView().lookupAll(".doc-facts")) {
                if (n.isVisible() && n.getParent() != null && n.getParent().isVisible() && !((Label) n).getText().isEmpty()) out.add(((Label) n).getText());
            }
            return out;
        });
    }

    @Test
    void documentsOfOneTitleShowTheirFileAndFormat() throws Exception {
        Path md = Files.writeString(dir.resolve("field-notes.md"), "# Field notes\n\nThe goldfinch eats thistle seeds.\n");
        Path txt = Files.writeString(dir.resolve("field-notes.txt"), "Field notes\n\nThe goldfinch eats teasel seeds.\n");
        Path drafts = Files.createDirectories(dir.resolve("drafts"));
        Path finals = Files.createDirectories(dir.resolve("final"));
        Path draft = Files.writeString(drafts.resolve("plan.md"), "---\ntitle: Spring plan\n---\nPlant thistles.\n");
        Path last = Files.writeString(finals.resolve("plan.md"), "---\ntitle: Spring plan\n---\nPlant thistles and teasels.\n");
        Path atlas = Files.writeString(dir.resolve("atlas.txt"), "The atlas of seeds\n\nMaps.\n");
        List<DocumentStatus> all = List.of(status(1, md), status(2, txt), status(3, draft), status(4, last), status(5, atlas));
        assertEquals("Field notes", all.get(0).title(), "the Markdown title without its #");

        Stage[] stage = new Stage[1];
        LibraryPane pane = onFx(() -> {
            LibraryPane p = new LibraryPane(() -> { });
            Scene scene = new Scene(p, 320, 700);
            scene.getStylesheets().setAll(ReaderWindow.resource("base.css").toExternalForm(), ReaderWindow.resource("light.css").toExternalForm());
            Stage s = new Stage();
            s.setScene(scene);
            s.show();
            stage[0] = s;
            p.update(all);
            return p;
        });
        try {
            WaitForAsyncUtils.waitForFxEvents();
            List<String> origins = onFx(() -> pane.entries().stream().map(LibraryEntry::origin).toList());
            assertEquals("field-notes.md · Markdown", origins.get(0));
            assertEquals("field-notes.txt · plain text", origins.get(1));
            assertEquals("drafts/plan.md · Markdown", origins.get(2), "one file name twice: the folder tells them apart");
            assertEquals("final/plan.md · Markdown", origins.get(3));
            assertNull(origins.get(4), "a title of its own needs no more");

            List<String> drawn = factLines(pane);
            assertEquals(5, drawn.size(), drawn.toString());
            assertTrue(drawn.get(0).startsWith("field-notes.md · Markdown · 1 section · "), drawn.get(0));
            assertTrue(drawn.get(1).startsWith("field-notes.txt · plain text · 1 section · "), drawn.get(1));
            assertTrue(drawn.get(2).startsWith("drafts/plan.md · Markdown · "), drawn.get(2));
            assertTrue(drawn.get(4).startsWith("1 section · "), drawn.get(4));
            screenshot(stage[0].getScene(), "library-same-titles");

            // once the Markdown file is removed, the text file's title is its own again
            runFx(() -> pane.remove(1));
            WaitForAsyncUtils.waitForFxEvents();
            assertNull(onFx(() -> pane.entry(2).orElseThrow().origin()));
            assertTrue(factLines(pane).getFirst().startsWith("1 section · "), factLines(pane).toString());
        } finally {
            runFx(() -> stage[0].close());
        }
    }
}
