package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.anyWindowNode;
import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.entry;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.MessageView;
import dev.goldfinch.engine.store.CollectionMember;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * A collection in the real window: made with the library's New collection… button, a PDF added to it by its context
 * menu (Add to collection ▸ Flat), a Markdown file by dragging it onto the collection, which then reads that file
 * alone; a question to the collection is answered with sources that name the document and its page.
 */
class CollectionWindowTest {
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    private Path lease() throws Exception {
        return dev.goldfinch.app.TestPdfs.write(dir.resolve("lease.pdf"), "Lease", "The lease starts on the first of May.",
                "The rent is due on the third day of each month.");
    }

    /** The library's cell showing {@code e}. */
    private Node cellOf(ReaderWindow w, LibraryEntry e) {
        return onFx(() -> w.library().listView().lookupAll(".list-cell").stream()
                .filter(n -> n instanceof ListCell<?> c && c.getItem() == e).findFirst().orElseThrow());
    }

    /** A labelled node with exactly this text in a popup (a context menu), not in the main window. */
    private Node popupItem(ReaderWindow w, String text) {
        waitUntil("the menu item " + text, 10, () -> robot.lookup(n -> n instanceof Labeled l && text.equals(l.getText()) && n.getScene() != w.stage().getScene()
                && n.isVisible()).tryQuery().isPresent());
        return robot.lookup(n -> n instanceof Labeled l && text.equals(l.getText()) && n.getScene() != w.stage().getScene() && n.isVisible()).query();
    }

    @Test
    void makeACollectionAddByMenuAndByDragAndAskWithSourcesNamingTheDocument() throws Exception {
        UiTestSupport.rememberModel(dir.resolve("config"), TestModels.small(), false);
        Path lease = lease();
        Path rules = Files.writeString(dir.resolve("rules.md"), "# House rules\n\nNo pets in the flat.\n\n## Bins\n\nBins go out on Tuesday evening.\n");
        ReaderWindow w = UiTestSupport.openWithModel(UiTestSupport.options(dir), new ScriptedDialogs());
        try {
            ReaderService service = UiTestSupport.service(w);
            runFx(() -> w.imports().importFiles(List.of(lease, rules)));
            waitUntil("both documents read", 300, () -> entry(w, "Lease").map(e -> e.state() == CacheState.READY).orElse(false)
                    && entry(w, "House rules").map(e -> e.state() == CacheState.READY).orElse(false));
            LibraryEntry leaseEntry = entry(w, "Lease").orElseThrow(), rulesEntry = entry(w, "House rules").orElseThrow();

            robot.clickOn("#new-collection");
            waitUntil("the name dialog", 10, () -> anyWindowNode("#collection-name").isPresent());
            TextField name = UiTestSupport.<TextField>anyWindowNode("#collection-name").orElseThrow();
            robot.clickOn(name).write("Flat");
            robot.type(KeyCode.ENTER);
            waitUntil("the collection in the library", 30, () -> entry(w, "Flat").map(LibraryEntry::isCollection).orElse(false));
            LibraryEntry flat = entry(w, "Flat").orElseThrow();
            assertEquals(0, onFx(() -> flat.status().members()));

            // by the context menu: Add to collection ▸ Flat
            robot.rightClickOn(cellOf(w, leaseEntry));
            robot.clickOn(popupItem(w, "Add to collection"));
            robot.clickOn(popupItem(w, "Flat"));
            waitUntil("the collection read with the lease", 300, () -> flat.state() == CacheState.READY && flat.status().members() == 1);
            long tokensBefore = service.tokensRead();

            // by dragging the rules onto the collection
            robot.drag(cellOf(w, rulesEntry), MouseButton.PRIMARY).dropTo(cellOf(w, flat));
            waitUntil("the collection read with the rules", 300, () -> flat.status().members() == 2 && flat.state() == CacheState.READY);
            List<CollectionMember> members = service.collectionMembers(flat.id()).get(30, TimeUnit.SECONDS);
            assertEquals(List.of("Lease", "House rules"), members.stream().map(CollectionMember::title).toList());
            // the rules alone were read: their separator and body, nothing of the lease again (the plain layout reads the stored tokens)
            assertEquals(members.get(1).tokenEnd() - members.get(0).tokenEnd(), service.tokensRead() - tokensBefore);

            runFx(() -> w.library().select(flat.id()));
            waitUntil("the question box on screen", 30, () -> w.conversation().input().getScene() != null && w.conversation().input().isVisible());
            robot.clickOn(w.conversation().input()).write("When do the bins go out?");
            robot.type(KeyCode.ENTER);
            waitUntil("the answer", 120, () -> w.conversation().messageViews().size() == 2 && !w.conversation().answeringProperty().get());
            MessageView answer = onFx(() -> w.conversation().messageViews().get(1));
            List<String> links = onFx(() -> answer.sourceLinks().stream().map(Hyperlink::getText).toList());
            assertTrue(!links.isEmpty(), "the answer names its sources");
            for (String link : links) {
                assertTrue(link.matches("(Lease · p\\. [12]|House rules · (House rules|Bins)) · .*"), "a source names its document and page: " + link);
            }
            screenshot(w.stage().getScene(), "collection");

            // moving the rules first: asked first, with the cost of reading the collection again from them on
            robot.rightClickOn(cellOf(w, flat));
            robot.clickOn(popupItem(w, "Documents of the collection…"));
            waitUntil("the collection's documents", 10, () -> anyWindowNode("#collection-members").isPresent());
            javafx.scene.control.ListView<?> order = UiTestSupport.<javafx.scene.control.ListView<?>>anyWindowNode("#collection-members").orElseThrow();
            runFx(() -> order.getSelectionModel().select(1));
            robot.clickOn(UiTestSupport.<Node>anyWindowNode("#member-up").orElseThrow());
            robot.clickOn(onFx(() -> ((javafx.scene.control.DialogPane) order.getScene().getRoot()).lookupButton(javafx.scene.control.ButtonType.OK)));
            Node go = popupItem(w, "Change and read");
            javafx.scene.control.DialogPane confirm = onFx(() -> (javafx.scene.control.DialogPane) go.getScene().getRoot());
            assertEquals("Read “Flat” again from document 1 (“House rules”) on?", onFx(confirm::getHeaderText));
            // the whole collection: nothing before the first member agrees (the plain layout reads the stored tokens)
            String cost = String.format(java.util.Locale.ROOT, "(%,d tokens to read, ", members.get(1).tokenEnd());
            String said = onFx(confirm::getContentText);
            assertTrue(said.contains(cost) && said.endsWith(" on this machine)."), said);
            long beforeMove = service.tokensRead();
            robot.clickOn(go);
            waitUntil("the collection read again in its new order", 300, () -> flat.state() == CacheState.READY
                    && service.tokensRead() > beforeMove);
            List<CollectionMember> moved = service.collectionMembers(flat.id()).get(30, TimeUnit.SECONDS);
            assertEquals(List.of("House rules", "Lease"), moved.stream().map(CollectionMember::title).toList());
            assertEquals(moved.get(1).tokenEnd(), service.tokensRead() - beforeMove, "read again from the first document that moved: all of it");
        } finally {
            close(w);
        }
    }
}
