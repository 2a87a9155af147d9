package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.models.DemoModel;
import dev.goldfinch.app.models.LocalModel;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.recall.RecallCheck;
import dev.goldfinch.app.recall.RecallGrid;
import dev.goldfinch.app.recall.RecallHistory;
import dev.goldfinch.app.recall.RecallPlan;
import dev.goldfinch.app.recall.RecallVerdict;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.view.ModelsDialog;
import dev.goldfinch.app.ui.view.RecallDialog;
import dev.goldfinch.app.ui.view.RecallHeatMap;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredRecallCheck;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.Background;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The recall check in the real window: a grid stored by an earlier check is shown beside its model in File → Models…
 * and as a heat map in its dialog after a restart; the model in use runs a check from the dialog with its cost, its
 * progress and Cancel, which keeps the cells scored; another model's check cannot run until it is the one in use.
 */
class RecallDialogTest {
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    private static <T> T lookup(RecallDialog d, String id) {
        @SuppressWarnings("unchecked")
        T node = (T) onFx(() -> d.stage().getScene().lookup(id));
        return node;
    }

    private static String text(RecallDialog d, String id) {
        return onFx(() -> ((Label) d.stage().getScene().lookup(id)).getText());
    }

    private static LocalModel row(ModelsDialog d, String namePart) {
        return onFx(() -> d.table().getItems().stream().filter(m -> m.name().contains(namePart)).findFirst().orElseThrow());
    }

    @Test
    void aStoredGridIsShownWithItsModelAndTheModelInUseRunsAndCancelsACheck() throws Exception {
        Path models = dir.resolve("models");
        LocalModel demo = DemoModel.write(ModelCatalogue.load(), models, UiTestSupport.VOCAB);
        RandomModels.write(models.resolve("other").resolve("goldfinch-other.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 9);
        // An earlier check of the demo model, kept in the window's library.
        RecallGrid stored;
        try (Model model = ModelLoader.load(demo.checkpoint(), OptionalDouble.empty()); DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
            stored = new RecallCheck(model, WorldTokenizer.load(demo.vocab()), PromptLayout.PLAIN, store, dir.resolve("scratch"))
                    .run(new RecallPlan(List.of(256, 512), 3, 1, 1), 1000, p -> { }, () -> false);
        }
        assertTrue(stored.finished());
        Settings s = new Settings();
        s.threads = 1;
        s.modelPath = demo.checkpoint().toString();
        s.vocabPath = demo.vocab().toString();
        s.modelsDir = models.toString();
        s.save(dir.resolve("config"));
        ReaderWindow w = UiTestSupport.openWithModel(UiTestSupport.options(dir), new ScriptedDialogs());
        try {
            runFx(() -> ((MenuBar) w.stage().getScene().lookup(".menu-bar")).getMenus().getFirst().getItems().stream()
                    .filter(i -> "_Models…".equals(i.getText())).findFirst().orElseThrow().fire());
            waitUntil("the models dialog", 30, () -> w.models().modelsDialog().isPresent());
            ModelsDialog models0 = onFx(() -> w.models().modelsDialog().orElseThrow());
            waitUntil("both models listed", 30, () -> models0.table().getItems().size() == 2);
            String summary = RecallHistory.summary(Optional.of(new StoredRecallCheck(0, "", "", 0, 0, true, stored.toJson(), true)));
            waitUntil("the demo's verdict in the list", 30, () -> summary.equals(models0.recallSummaries().get(demo.checkpoint())));
            assertTrue(summary.startsWith(RecallVerdict.overall(stored) + " ("), summary);
            LocalModel other = row(models0, "goldfinch-other");
            assertEquals("not checked", onFx(() -> models0.recallSummaries().get(other.checkpoint())));
            List<String> cells = onFx(() -> models0.table().lookupAll(".table-cell").stream().map(n -> ((javafx.scene.control.TableCell<?, ?>) n).getText())
                    .filter(t -> t != null && !t.isEmpty()).toList());
            assertTrue(cells.contains(summary) && cells.contains("not checked"), "the Recall column: " + cells);

            // Another model's check: shown, not run (the check reads with the model in use).
            runFx(() -> models0.table().getSelectionModel().select(other));
            robot.clickOn(onFx(() -> (Button) models0.stage().getScene().lookup("#models-recall")));
            waitUntil("the other model's recall dialog", 30, () -> w.models().recall().dialog(other.checkpoint()).isPresent());
            RecallDialog otherDialog = onFx(() -> w.models().recall().dialog(other.checkpoint()).orElseThrow());
            waitUntil("it says it was not checked", 30, () -> text(otherDialog, "#recall-date").equals("Not checked yet."));
            assertTrue(onFx(() -> this.<Button>lookup(otherDialog, "#recall-run").isDisabled()));
            assertTrue(text(otherDialog, "#recall-estimate").startsWith("The check reads with the model in use"), text(otherDialog, "#recall-estimate"));
            runFx(() -> otherDialog.stage().close());

            // The demo's dialog: the stored grid as a heat map.
            runFx(() -> models0.table().getSelectionModel().select(row(models0, "noise")));
            robot.clickOn(onFx(() -> (Button) models0.stage().getScene().lookup("#models-recall")));
            waitUntil("the demo's recall dialog", 30, () -> w.models().recall().dialog(demo.checkpoint()).isPresent());
            RecallDialog d = onFx(() -> w.models().recall().dialog(demo.checkpoint()).orElseThrow());
            waitUntil("the stored grid", 30, () -> text(d, "#recall-date").startsWith("Checked on " + RecallHistory.date(stored.date())));
            assertEquals("Verdict: " + RecallVerdict.overall(stored), text(d, "#recall-verdict"));
            for (int r = 0; r < 2; r++) {
                assertEquals(RecallVerdict.of(stored, stored.lengths().get(r)), text(d, "#recall-length-verdict-" + r));
                for (int c = 0; c < 3; c++) {
                    Optional<Double> share = stored.share(stored.lengths().get(r), c);
                    Label cell = lookup(d, "#recall-cell-" + r + "-" + c);
                    assertEquals(Math.round(share.orElseThrow() * 100) + "%", onFx(cell::getText));
                    Background bg = onFx(cell::getBackground);
                    assertEquals(RecallHeatMap.fill(share), (Color) bg.getFills().getFirst().getFill(), "cell " + r + "," + c + " coloured by its share");
                }
            }
            waitUntil("the cost of the default plan", 30, () -> text(d, "#recall-estimate").startsWith("Reads "));
            assertTrue(text(d, "#recall-estimate").contains("on this machine"), text(d, "#recall-estimate"));
            screenshot(d.stage().getScene(), "recall-dialog");

            // Run a check long enough to cancel, then cancel it: the cells scored are kept.
            runFx(() -> {
                this.<TextField>lookup(d, "#recall-lengths").setText("256,8k");
                this.<TextField>lookup(d, "#recall-depths").setText("4");
            });
            waitUntil("the new plan's cost", 10, () -> text(d, "#recall-estimate").startsWith("Reads "));
            robot.clickOn(this.<Button>lookup(d, "#recall-run"));
            waitUntil("the first length scored", 180, () -> text(d, "#recall-step").contains("4 of 8 cells scored"));
            assertTrue(onFx(() -> this.<Button>lookup(d, "#recall-run").isDisabled()), "one check at a time");
            screenshot(d.stage().getScene(), "recall-running");
            robot.clickOn(this.<Button>lookup(d, "#recall-cancel"));
            waitUntil("the check stopped", 120, () -> text(d, "#recall-step").startsWith("Stopped: the "));
            assertFalse(onFx(() -> this.<Button>lookup(d, "#recall-run").isDisabled()), "it can run again");
            StoredRecallCheck kept;
            try (DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
                kept = store.recallChecks().latest(identity(demo)).orElseThrow();
            }
            RecallGrid cut = RecallGrid.fromJson(kept.grid());
            assertFalse(kept.finished(), "cut short");
            assertTrue(cut.scoredCells() >= 4 && cut.scoredCells() < 8, "the cells scored: " + cut.scoredCells());
            assertEquals("Stopped: the " + cut.scoredCells() + " cells scored are kept.", text(d, "#recall-step"));
            assertTrue(text(d, "#recall-date").endsWith("cut short: " + cut.scoredCells() + " of 8 cells."), text(d, "#recall-date"));
            waitUntil("the list shows the newest check", 30, () -> models0.recallSummaries().getOrDefault(demo.checkpoint(), "").endsWith(", cut short)"));
            runFx(() -> d.stage().close());
            runFx(() -> models0.stage().close());
        } finally {
            close(w);
        }
    }

    private static String identity(LocalModel m) {
        try (dev.goldfinch.engine.checkpoint.Checkpoint c = dev.goldfinch.engine.checkpoint.Checkpoint.open(m.checkpoint())) {
            return c.identity();
        }
    }
}
