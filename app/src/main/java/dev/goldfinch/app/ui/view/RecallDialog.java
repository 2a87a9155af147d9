package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.models.ReadingTime;
import dev.goldfinch.app.recall.RecallCheck;
import dev.goldfinch.app.recall.RecallCost;
import dev.goldfinch.app.recall.RecallGrid;
import dev.goldfinch.app.recall.RecallHistory;
import dev.goldfinch.app.recall.RecallPlan;
import dev.goldfinch.app.recall.RecallVerdict;
import dev.goldfinch.app.ui.Fx;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * A model's recall check: its stored grid as a heat map with the verdict and the date, and (for the model in use)
 * "Run recall check" with the lengths, depths and facts to check, what it will read and how long it will take,
 * then its progress and Cancel. The work runs where the window sends it (the model thread); closing the dialog
 * cancels a check in progress, whose scored cells stay in the store.
 */
public final class RecallDialog {
    /** What the dialog needs of the window. */
    public interface Actions {
        /** The model's stored grid, if it has one (fails, in words, when the store's row is damaged). */
        CompletableFuture<Optional<RecallGrid>> stored();

        /** Why this model's check cannot run now (it is not the model in use), or empty when it can. */
        Optional<String> cannotRun();

        /** What the plan would read, at the model's pace. */
        Optional<RecallCost> cost(RecallPlan plan);

        /** Starts the check; progress comes on the JavaFX thread. */
        Running run(RecallPlan plan, Consumer<RecallCheck.Progress> progress);
    }

    /** A check in progress: its result (the grid, finished or cut short) and how to stop it. */
    public record Running(CompletableFuture<RecallGrid> result, Runnable cancel) {
    }

    private final Stage stage = new Stage();
    private final Actions actions;
    private final RecallHeatMap map = new RecallHeatMap();
    private final Label verdict = new Label(), date = new Label(), estimate = new Label(), step = new Label();
    private final TextField lengths = new TextField(String.join(",", RecallPlan.defaults().lengths().stream().map(RecallPlan::label).toList())),
            depths = new TextField(Integer.toString(RecallPlan.defaults().depths())), facts = new TextField(Integer.toString(RecallPlan.defaults().facts()));
    private final ProgressBar bar = new ProgressBar(0);
    private final Button run = new Button("Run recall check"), cancel = new Button("Cancel"), close = new Button("Close");
    private Running running;
    /** A look at the cost again is due (the pace was not known yet). */
    private boolean costPending;

    public RecallDialog(Window owner, String modelName, Actions actions) {
        this.actions = actions;
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle("Recall check: " + modelName);
        Label title = new Label("How far back does “" + modelName + "” recall?");
        title.setStyle("-fx-font-weight: bold; -fx-font-size: 1.15em;");
        Label how = new Label("A short fact (\"the access code of the blue archive is 7261\") is planted at each depth of documents of each length, "
                + "cut from a public-domain novel; each document is read, opened again from the store and the model asked for the fact. A length is "
                + "reliable when at least 90% of its facts are recalled. The figures are this model's, measured here.");
        how.setWrapText(true);
        how.setMinHeight(Region.USE_PREF_SIZE);
        verdict.setId("recall-verdict");
        verdict.setStyle("-fx-font-weight: bold;");
        date.setId("recall-date");
        lengths.setId("recall-lengths");
        depths.setId("recall-depths");
        facts.setId("recall-facts");
        depths.setPrefColumnCount(3);
        facts.setPrefColumnCount(3);
        lengths.setPrefColumnCount(14);
        for (TextField f : new TextField[] {lengths, depths, facts}) f.textProperty().addListener((o, a, b) -> sayCost());
        estimate.setId("recall-estimate");
        estimate.setWrapText(true);
        estimate.setMinHeight(Region.USE_PREF_SIZE);
        bar.setId("recall-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.setVisible(false);
        step.setId("recall-step");
        step.setWrapText(true);
        run.setId("recall-run");
        run.setDefaultButton(true);
        run.setOnAction(e -> start());
        cancel.setId("recall-cancel");
        cancel.setDisable(true);
        cancel.setOnAction(e -> stop());
        close.setId("recall-close");
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        stage.setOnHidden(e -> stop()); // closing it stops the check; what it scored is kept
        HBox plan = new HBox(8, new Label("Lengths"), lengths, new Label("Depths"), depths, new Label("Facts per document"), facts);
        plan.setAlignment(Pos.CENTER_LEFT);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, run, cancel, gap, close);
        VBox root = new VBox(10, title, how, map, verdict, date, new Separator(), plan, estimate, bar, step, buttons);
        root.setPadding(new Insets(14));
        Scene scene = new Scene(root, 820, -1);
        if (owner != null && owner.getScene() != null) scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        stage.setScene(scene);
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
        map.show(Optional.empty());
        verdict.setText("");
        date.setText("Loading the stored check…");
        actions.stored().whenCompleteAsync((grid, t) -> {
            if (running != null) return; // a check started meanwhile shows its own grid
            if (t != null) {
                map.show(Optional.empty());
                date.setText(Fx.cause(t).getMessage());
            } else {
                showGrid(grid);
            }
        }, Fx.THREAD);
        idle();
    }

    private void showGrid(Optional<RecallGrid> grid) {
        map.show(grid);
        stage.sizeToScene();
        verdict.setText(grid.map(RecallVerdict::overall).map(v -> "Verdict: " + v).orElse(""));
        date.setText(grid.map(g -> "Checked on " + RecallHistory.date(g.date()) + (g.facts() == 1 ? ", one fact per document" : ", " + g.facts()
                + " facts per document (one asked)") + (g.finished() ? "." : "; cut short: " + g.scoredCells() + " of " + g.totalCells() + " cells."))
                .orElse("Not checked yet."));
    }

    /** The plan in the fields, or empty with the reason said where the estimate goes. */
    private Optional<RecallPlan> plan() {
        try {
            return Optional.of(new RecallPlan(RecallPlan.parseLengths(lengths.getText()), Integer.parseInt(depths.getText().strip()),
                    Integer.parseInt(facts.getText().strip()), 1));
        } catch (NumberFormatException e) {
            estimate.setText("Depths and facts are whole numbers.");
        } catch (IllegalArgumentException e) {
            estimate.setText(e.getMessage().substring(0, 1).toUpperCase() + e.getMessage().substring(1) + ".");
        }
        return Optional.empty();
    }

    private void sayCost() {
        if (running != null) return;
        Optional<String> why = actions.cannotRun();
        if (why.isPresent()) {
            estimate.setText(why.get());
            run.setDisable(true);
            return;
        }
        Optional<RecallPlan> plan = plan();
        run.setDisable(plan.isEmpty());
        if (plan.isEmpty()) return;
        Optional<RecallCost> cost = actions.cost(plan.get());
        estimate.setText(cost.map(c -> String.format("Reads %,d document tokens (each length's common beginning once; %,d "
                        + "otherwise): %s on this machine.", c.tokens(), c.unshared(), ReadingTime.describe(c.seconds())))
                .orElse("Measuring this machine's pace…"));
        if (cost.isEmpty() && !costPending) { // the pace is measured after the model loads: say the cost once it is known
            costPending = true;
            PauseTransition again = new PauseTransition(Duration.millis(500));
            again.setOnFinished(e -> {
                costPending = false;
                if (stage.isShowing()) sayCost();
            });
            again.play();
        }
    }

    private void idle() {
        running = null;
        cancel.setDisable(true);
        for (TextField f : new TextField[] {lengths, depths, facts}) f.setDisable(false);
        sayCost();
    }

    private void start() {
        Optional<RecallPlan> plan = plan();
        if (plan.isEmpty() || running != null || actions.cannotRun().isPresent()) return;
        run.setDisable(true);
        cancel.setDisable(false);
        for (TextField f : new TextField[] {lengths, depths, facts}) f.setDisable(true);
        bar.setVisible(true);
        bar.setProgress(0);
        step.setText("Starting the recall check…");
        showGrid(Optional.of(RecallGrid.start("", System.currentTimeMillis(), plan.get())));
        date.setText("Running…");
        Running r = actions.run(plan.get(), p -> {
            if (running == null) return;
            bar.setProgress(p.fraction());
            step.setText(String.format("%s; %d of %d cells scored, %.0f%% read", p.step(), p.cellsScored(), p.cellsTotal(), 100 * p.fraction()));
            if (p.grid() != null) {
                map.show(Optional.of(p.grid()));
                verdict.setText("Verdict so far: " + RecallVerdict.overall(p.grid()));
            }
        });
        running = r;
        r.result().whenCompleteAsync((grid, t) -> {
            bar.setVisible(false);
            if (t != null) {
                step.setText("The recall check failed: " + Fx.cause(t).getMessage());
            } else {
                showGrid(Optional.of(grid));
                step.setText(grid.finished() ? "Done: the grid is kept with the model." : "Stopped: the " + grid.scoredCells() + " cells scored are kept.");
            }
            idle();
        }, Fx.THREAD);
    }

    private void stop() {
        Running r = running;
        if (r == null) return;
        cancel.setDisable(true);
        step.setText("Stopping at the next chunk…");
        r.cancel().run();
    }
}
