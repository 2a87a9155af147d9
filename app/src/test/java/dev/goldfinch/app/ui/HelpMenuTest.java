package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.anyWindowNode;
import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.service;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/** The Help menu in the real window: Keyboard shortcuts (read from the menus), Getting started, Where files are kept. */
class HelpMenuTest {
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    private ReaderWindow openWithModel(ScriptedDialogs dialogs) throws Exception {
        TestModels.TestModel m = TestModels.small();
        Settings s = UiTestSupport.settingsFor(m, Settings.DEFAULT_MAX_ANSWER_TOKENS);
        s.modelsDir = Files.createDirectories(dir.resolve("models")).toString();
        s.save(dir.resolve("config"));
        return UiTestSupport.openWithModel(UiTestSupport.options(dir), dialogs);
    }

    /** Fires a menu item of the window's menu bar by its label, as a click on it does. */
    private static void fire(ReaderWindow w, String label) {
        runFx(() -> items(menuBar(w)).stream().filter(i -> label.equals(i.getText().replace("_", ""))).findFirst().orElseThrow().fire());
    }

    private static MenuBar menuBar(ReaderWindow w) {
        return (MenuBar) w.stage().getScene().lookup(".menu-bar");
    }

    private static List<MenuItem> items(MenuBar bar) {
        List<MenuItem> all = new ArrayList<>();
        for (Menu m : bar.getMenus()) m.getItems().stream().filter(i -> i.getText() != null).forEach(all::add); // not the separators
        return all;
    }

    /** The dialog (not the window) showing a node with this id. */
    private static DialogPane dialogWith(ReaderWindow w, String id) {
        waitUntil("a dialog with " + id, 30, () -> anyWindowNode(id).filter(n -> n.getScene() != w.stage().getScene()).isPresent());
        return (DialogPane) UiTestSupport.<Node>anyWindowNode(id).orElseThrow().getScene().getRoot();
    }

    private static void closeDialog(DialogPane pane) {
        runFx(() -> ((Window) pane.getScene().getWindow()).hide());
    }

    /** The shortcuts dialog's rows: keys → actions (a key may do several things, in several places). */
    private static Map<String, List<String>> rows(DialogPane pane) {
        return onFx(() -> {
            GridPane grid = (GridPane) pane.lookup("#shortcuts-grid");
            Map<String, List<String>> rows = new LinkedHashMap<>();
            for (Node n : grid.getChildren()) {
                if (n.getStyleClass().contains("shortcut-keys")) {
                    Integer row = GridPane.getRowIndex(n);
                    Label action = (Label) grid.getChildren().stream().filter(a -> a.getStyleClass().contains("shortcut-action")
                            && row.equals(GridPane.getRowIndex(a))).findFirst().orElseThrow();
                    rows.computeIfAbsent(((Label) n).getText(), k -> new ArrayList<>()).add(action.getText());
                }
            }
            return rows;
        });
    }

    @Test
    void keyboardShortcutsListEveryAcceleratorTheMenusHave() throws Exception {
        ReaderWindow w = openWithModel(new ScriptedDialogs());
        try {
            fire(w, "Keyboard shortcuts");
            DialogPane pane = dialogWith(w, "#shortcuts-grid");
            Map<String, List<String>> rows = rows(pane);
            assertTrue(rows.getOrDefault("Ctrl+O", List.of()).contains("File → Add documents…"), rows.toString());
            assertTrue(rows.getOrDefault("Ctrl+F", List.of()).contains("View → Find in document…"), rows.toString());
            assertTrue(rows.getOrDefault("Esc", List.of()).contains("Stop the answer being written"), rows.toString());
            assertTrue(rows.getOrDefault("Enter", List.of()).contains("Send the question"), rows.toString());
            assertTrue(rows.getOrDefault("Page Down", List.of()).contains("Next page"), rows.toString());
            // Every accelerator of the window's menus is listed, under the label the menu gives it.
            List<MenuItem> withKeys = onFx(() -> items(menuBar(w)).stream().filter(i -> i.getAccelerator() != null).toList());
            assertTrue(withKeys.size() >= 9, "the window's menus have their nine accelerators: " + withKeys.size());
            for (MenuItem i : withKeys) {
                String keys = onFx(() -> i.getAccelerator().getDisplayText());
                assertTrue(rows.getOrDefault(keys, List.of()).stream().anyMatch(a -> a.endsWith(i.getText().replace("_", ""))), keys + " in " + rows);
            }
            screenshot(pane.getScene(), "help-shortcuts");
            closeDialog(pane);

            // Read from the menus, the list follows them: a new accelerator is listed the next time.
            runFx(() -> items(menuBar(w)).stream().filter(i -> i.getText().equals("Dar_k theme")).findFirst().orElseThrow()
                    .setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+K")));
            fire(w, "Keyboard shortcuts");
            pane = dialogWith(w, "#shortcuts-grid");
            assertEquals(List.of("View → Dark theme"), rows(pane).get("Ctrl+Shift+K"));
            closeDialog(pane);
        } finally {
            close(w);
        }
    }

    @Test
    void gettingStartedSaysHowAndOpensACheckpoint() throws Exception {
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = openWithModel(dialogs);
        try {
            fire(w, "Getting started");
            DialogPane pane = dialogWith(w, "#getting-started-page");
            String text = onFx(() -> pane.lookupAll(".label").stream().map(n -> ((Label) n).getText()).reduce("", (a, b) -> a + "\n" + b));
            for (String part : List.of("Get a model", "demo-model", "Add a document", "Ask", "Where the sources come from", "attention")) {
                assertTrue(text.contains(part), part + " in: " + text);
            }
            screenshot(pane.getScene(), "help-getting-started");
            // Its "Open a checkpoint…" is the menu's: the file chooser, then the model loads.
            TestModels.TestModel other = TestModels.rwkv7();
            dialogs.checkpoint = other.checkpoint();
            dialogs.vocabulary = other.vocabulary();
            robot.clickOn((Button) onFx(() -> pane.lookup("#getting-started-open")));
            waitUntil("the chosen model to load", 60, () -> service(w).model().map(m -> m.checkpoint().equals(other.checkpoint())).orElse(false));
        } finally {
            close(w);
        }
    }

    @Test
    void whereFilesAreKeptShowsThisRunsPathsToCopyAndOpen() throws Exception {
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = openWithModel(dialogs);
        try {
            fire(w, "Where files are kept");
            DialogPane pane = dialogWith(w, "#files-grid");
            Map<String, Path> expected = Map.of(
                    "#files-path-models-folder", dir.resolve("models"),
                    "#files-path-library-database", dir.resolve("library.sqlite"),
                    "#files-path-settings", dir.resolve("config").resolve("settings.json"),
                    "#files-path-log", dir.resolve("config").resolve("goldfinch.log"));
            for (var e : expected.entrySet()) {
                assertEquals(e.getValue().toAbsolutePath().toString(), onFx(() -> ((TextField) pane.lookup(e.getKey())).getText()), e.getKey());
            }
            screenshot(pane.getScene(), "help-where-files-are-kept");
            robot.clickOn((Button) onFx(() -> pane.lookup("#files-copy-library-database")));
            assertEquals(dir.resolve("library.sqlite").toAbsolutePath().toString(), onFx(() -> Clipboard.getSystemClipboard().getString()));
            robot.clickOn((Button) onFx(() -> pane.lookup("#files-open-models-folder")));
            waitUntil("the models folder shown", 10, () -> !dialogs.shownFolders.isEmpty());
            assertEquals(List.of(dir.resolve("models").toAbsolutePath()), dialogs.shownFolders);
            robot.clickOn((Button) onFx(() -> pane.lookup("#files-open-settings")));
            waitUntil("the settings' folder shown", 10, () -> dialogs.shownFolders.size() == 2);
            assertEquals(dir.resolve("config").toAbsolutePath(), dialogs.shownFolders.get(1), "a file's folder is opened");
            closeDialog(pane);
        } finally {
            close(w);
        }
    }
}
