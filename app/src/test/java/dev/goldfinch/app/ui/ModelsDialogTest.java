package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.anyWindowNode;
import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.entry;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.service;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.models.DemoModel;
import dev.goldfinch.app.models.LocalModel;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.view.ModelsDialog;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * File → Models… in the real window, on a models folder holding the demo model and a second small GoldFinch written by
 * the test: sizes, the one in use, switching, and deleting (asked first; never the model in use; its documents stay).
 */
class ModelsDialogTest {
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    private static ModelsDialog dialog(ReaderWindow w) {
        return onFx(() -> w.models().modelsDialog().orElseThrow());
    }

    private static LocalModel row(ModelsDialog d, String namePart) {
        return onFx(() -> d.table().getItems().stream().filter(m -> m.name().contains(namePart)).findFirst().orElseThrow());
    }

    private static Button button(ModelsDialog d, String id) {
        return onFx(() -> (Button) d.stage().getScene().lookup(id));
    }

    private static String status(ModelsDialog d) {
        return onFx(() -> ((Label) d.stage().getScene().lookup("#models-status")).getText());
    }

    /** The confirmation over the models dialog. */
    private static DialogPane confirmation(ModelsDialog d) {
        waitUntil("the confirmation", 30, () -> anyWindowNode(".dialog-pane").isPresent());
        return (DialogPane) UiTestSupport.<Node>anyWindowNode(".dialog-pane").orElseThrow();
    }

    private void choose(DialogPane pane, String button) {
        Node b = onFx(() -> pane.getButtonTypes().stream().filter(t -> t.getText().equals(button)).map(pane::lookupButton).findFirst().orElseThrow());
        robot.clickOn(b);
    }

    @Test
    void listsTheFolderSwitchesAndDeletesAModelButNotTheOneInUse() throws Exception {
        Path models = dir.resolve("models");
        LocalModel demo = DemoModel.write(ModelCatalogue.load(), models, UiTestSupport.VOCAB);
        Path other = RandomModels.write(models.resolve("other").resolve("goldfinch-other.pth"), Architecture.GOLDFINCH, 3, 64,
                RandomModels.DEFAULT_VOCAB, DType.BF16, 9);
        Settings s = new Settings();
        s.threads = 1;
        s.maxAnswerTokens = 8;
        s.modelPath = demo.checkpoint().toString();
        s.vocabPath = demo.vocab().toString();
        s.modelsDir = models.toString();
        s.save(dir.resolve("config"));
        ReaderWindow w = UiTestSupport.openWithModel(UiTestSupport.options(dir), new ScriptedDialogs());
        try {
            // A document read by the demo model.
            Path notes = Files.writeString(dir.resolve("notes.md"), "# Field notes\n\nGoldfinches eat thistle seeds. They nest late in summer.\n");
            runFx(() -> w.imports().importFiles(List.of(notes)));
            waitUntil("the document to be read", 120, () -> entry(w, "Field notes").map(e -> e.state() == CacheState.READY).orElse(false));

            runFx(() -> ((MenuBar) w.stage().getScene().lookup(".menu-bar")).getMenus().getFirst().getItems().stream()
                    .filter(i -> "_Models…".equals(i.getText())).findFirst().orElseThrow().fire());
            waitUntil("the models dialog", 30, () -> w.models().modelsDialog().isPresent());
            ModelsDialog d = dialog(w);
            waitUntil("both models listed", 30, () -> d.table().getItems().size() == 2);
            assertEquals(Files.size(other), row(d, "goldfinch-other").bytes());
            assertEquals(Files.size(demo.checkpoint()), row(d, "noise").bytes());

            // The model in use is selected, marked, and cannot be deleted.
            waitUntil("the model in use selected", 10, () -> d.table().getSelectionModel().getSelectedItem() != null
                    && d.table().getSelectionModel().getSelectedItem().checkpoint().equals(demo.checkpoint()));
            List<String> cells = onFx(() -> d.table().lookupAll(".table-cell").stream().map(n -> ((javafx.scene.control.TableCell<?, ?>) n).getText())
                    .filter(t -> t != null && !t.isEmpty()).toList());
            assertTrue(cells.contains("in use"), cells.toString());
            assertTrue(cells.contains(dev.goldfinch.app.ui.view.Format.bytes(demo.bytes())), "sizes shown: " + cells);
            assertTrue(onFx(() -> button(d, "#models-delete").isDisabled()), "the model in use cannot be deleted");
            assertTrue(status(d).contains("is in use. To delete it, switch to another model first."), status(d));
            screenshot(d.stage().getScene(), "models-dialog");

            // Switch: the other model loads through the window's model path and is remembered.
            runFx(() -> d.table().getSelectionModel().select(row(d, "goldfinch-other")));
            robot.clickOn(button(d, "#models-use"));
            waitUntil("the other model in use", 60, () -> service(w).model().map(m -> m.checkpoint().equals(other)).orElse(false));
            waitUntil("the dialog says so", 10, () -> status(d).startsWith("Now using"));
            assertEquals(other.toString(), Settings.load(dir.resolve("config")).modelPath);

            // Delete the demo: asked first; Cancel keeps it.
            runFx(() -> d.table().getSelectionModel().select(row(d, "noise")));
            assertFalse(onFx(() -> button(d, "#models-delete").isDisabled()));
            robot.clickOn(button(d, "#models-delete"));
            DialogPane confirm = confirmation(d);
            assertEquals("Delete the model “" + DemoModel.NAME + "”?", onFx(confirm::getHeaderText));
            String said = onFx(confirm::getContentText);
            assertTrue(said.contains("The documents it read stay in the library") && said.contains("another model reads them again"), said);
            assertTrue(onFx(() -> ((Button) confirm.lookupButton(ButtonType.CANCEL)).isDefaultButton()), "Cancel is the default");
            screenshot(confirm.getScene(), "models-delete-confirmation");
            choose(confirm, "Cancel");
            assertTrue(Files.exists(demo.checkpoint()), "cancelled: nothing deleted");

            robot.clickOn(button(d, "#models-delete"));
            choose(confirmation(d), "Delete");
            waitUntil("the demo model gone from the list", 30, () -> d.table().getItems().size() == 1);
            assertFalse(Files.exists(demo.checkpoint()));
            assertFalse(Files.exists(demo.checkpoint().getParent()), "its folder went with it");
            assertTrue(Files.isRegularFile(demo.vocab()), "the shared vocabulary stays: the other model reads with it");
            assertTrue(Files.exists(other));
            assertTrue(status(d).startsWith("Deleted"), status(d));
            assertTrue(entry(w, "Field notes").isPresent(), "the document it read stays in the library");
            runFx(() -> d.stage().close());
        } finally {
            close(w);
        }
    }
}
