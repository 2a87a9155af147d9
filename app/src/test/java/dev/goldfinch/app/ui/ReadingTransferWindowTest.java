package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.anyWindowNode;
import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.entry;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.service;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.ReadingTransfer;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.generate.SamplingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File → Export reading… in one window and File → Import reading… in another, on another library: the document comes
 * with its reading, is ready at once, is answered as in the first window and is never read; a file that is no export
 * is refused in a one-line error dialog and the library stays as it was. The real window under Xvfb; the file choosers
 * answer with what the test puts in them.
 */
class ReadingTransferWindowTest {
    static final AnswerOptions GREEDY = new AnswerOptions(SamplingOptions.greedy(), 10, PromptLayout.PLAIN, 0);

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    @Test
    void aReadingExportedFromOneLibraryIsAnsweredInAnotherWithoutReading() throws Exception {
        TestModels.TestModel model = TestModels.small();
        Path first = dir.resolve("first"), second = dir.resolve("second"), out = Files.createDirectories(dir.resolve("out"));
        UiTestSupport.rememberModel(first.resolve("config"), model, false);
        UiTestSupport.rememberModel(second.resolve("config"), model, false);
        Path doc = Files.writeString(dir.resolve("teasels.md"), "# Teasels\n\nGoldfinches take the seeds of teasels in winter; their beaks are fine enough.\n"
                + "\n## Thistles\n\nIn summer they feed on thistles and dandelions along the road.\n");

        ScriptedDialogs dialogs = new ScriptedDialogs();
        dialogs.readingExportFolder = out;
        String answer, collectionAnswer;
        Path exported, collectionFile;
        ReaderWindow w = UiTestSupport.openWithModel(UiTestSupport.options(first), dialogs);
        try {
            runFx(() -> w.imports().importFiles(List.of(doc)));
            waitUntil("the document in the library", 30, () -> entry(w, "Teasels").isPresent());
            LibraryEntry e = entry(w, "Teasels").orElseThrow();
            waitUntil("the document to be read", 120, () -> e.state() == CacheState.READY);
            answer = service(w).ask(e.id(), "What do goldfinches eat?", GREEDY, x -> { }).result().get(60, TimeUnit.SECONDS).answer().text();
            runFx(() -> {
                w.statusBar().keepMessagesFor(javafx.util.Duration.minutes(5)); // a loaded machine takes its time
                w.library().select(e.id());
            });
            fire(w, "Export reading…");
            exported = out.resolve(ReadingTransfer.fileName(e.title()));
            waitUntil("the reading exported", 60, () -> w.statusBar().message().startsWith("Exported the reading of 'Teasels'"));
            assertTrue(Files.isRegularFile(exported), "the file chosen holds the export");

            // a collection holding the document: exported as one too
            long birds = service(w).createCollection("Birds").get(30, TimeUnit.SECONDS);
            onFx(() -> w.refreshLibrary()).get(30, TimeUnit.SECONDS);
            LibraryEntry collection = entry(w, "Birds").orElseThrow();
            onFx(() -> w.collections().add(e, collection)).get(60, TimeUnit.SECONDS);
            waitUntil("the collection read", 120, () -> entry(w, "Birds").map(c -> c.state() == CacheState.READY && c.status().members() == 1).orElse(false));
            collectionAnswer = service(w).ask(birds, "What do goldfinches eat?", GREEDY, x -> { }).result().get(60, TimeUnit.SECONDS).answer().text();
            runFx(() -> w.library().select(birds));
            fire(w, "Export reading…");
            collectionFile = out.resolve(ReadingTransfer.fileName("Birds"));
            waitUntil("the collection's reading exported", 60, () -> w.statusBar().message().startsWith("Exported the reading of the collection 'Birds'"));
            assertTrue(Files.isRegularFile(collectionFile));
        } finally {
            close(w);
        }

        ScriptedDialogs others = new ScriptedDialogs();
        others.readingImport = exported;
        ReaderWindow w2 = UiTestSupport.openWithModel(UiTestSupport.options(second), others);
        try {
            runFx(() -> w2.statusBar().keepMessagesFor(javafx.util.Duration.minutes(5)));
            // what File → Import reading… runs (the menu item itself is fired for the file below that is refused)
            long id = onFx(() -> w2.transfer().importReading()).get(120, TimeUnit.SECONDS).orElseThrow();
            String said = onFx(() -> w2.statusBar().message());
            assertTrue(said.startsWith("Imported 'Teasels' with its reading by goldfinch-random-L3-D64.pth ("), said);
            LibraryEntry e = entry(w2, "Teasels").orElseThrow();
            assertEquals(id, e.id());
            assertEquals(CacheState.READY, e.state(), "ready at once");
            assertEquals(e.id(), onFx(() -> w2.library().selected().orElseThrow().id()), "the imported document is selected");
            String again = service(w2).ask(e.id(), "What do goldfinches eat?", GREEDY, x -> { }).result().get(60, TimeUnit.SECONDS).answer().text();
            assertEquals(answer, again, "the same answer from the imported reading");
            assertEquals(0, service(w2).tokensRead(), "nothing was read in the second library");
            assertEquals(0, service(w2).lastOpenRecurrentSteps(), "opening the imported reading took no recurrent step");

            Path bogus = Files.writeString(dir.resolve("bogus.gfread"), "This is a note, not an export; it is long enough to be taken for a header of a hundred bytes.");
            others.readingImport = bogus;
            fire(w2, "Import reading…");
            waitUntil("the error dialog", 30, () -> anyWindowNode("#error-message").isPresent());
            Label message = UiTestSupport.<Label>anyWindowNode("#error-message").orElseThrow();
            assertEquals("bogus.gfread is not a GoldFinch reading export (not an SQLite file); nothing was imported", onFx(message::getText));
            DialogPane pane = (DialogPane) onFx(() -> message.getScene().getRoot());
            runFx(() -> ((Button) pane.lookupButton(ButtonType.OK)).fire());
            assertEquals(1, onFx(() -> w2.library().entries().size()), "the library is as it was");

            others.readingImport = collectionFile;
            long birds = onFx(() -> w2.transfer().importReading()).get(120, TimeUnit.SECONDS).orElseThrow();
            said = onFx(() -> w2.statusBar().message());
            assertTrue(said.startsWith("Imported the collection 'Birds' of 1 document with its reading by goldfinch-random-L3-D64.pth ("), said);
            LibraryEntry c = entry(w2, "Birds").orElseThrow();
            assertEquals(birds, c.id());
            assertTrue(c.isCollection());
            assertEquals(CacheState.READY, c.state(), "the collection is ready at once");
            assertEquals(collectionAnswer, service(w2).ask(birds, "What do goldfinches eat?", GREEDY, x -> { }).result().get(60, TimeUnit.SECONDS).answer().text());
            assertEquals(0, service(w2).tokensRead(), "nothing was read in the second library");
        } finally {
            close(w2);
        }
    }

    /** Fires a menu item of the window's menu bar by its label, as a click on it does. */
    private static void fire(ReaderWindow w, String label) {
        runFx(() -> {
            MenuBar bar = (MenuBar) w.stage().getScene().lookup(".menu-bar");
            for (Menu m : bar.getMenus()) {
                for (MenuItem i : m.getItems()) {
                    if (i.getText() != null && label.equals(i.getText().replace("_", ""))) {
                        i.fire();
                        return;
                    }
                }
            }
            throw new AssertionError("no menu item " + label);
        });
    }
}
