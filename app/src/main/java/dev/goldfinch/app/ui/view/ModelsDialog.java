package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.models.LocalModel;
import dev.goldfinch.app.ui.Fx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * File → Models…: the models in the models folder with their size and which one is in use; Use loads the selected
 * one (as Open a checkpoint… does), Delete… deletes it after asking. The model in use cannot be deleted: switch to
 * another first (the button says why it is off). Each model's recall check verdict is in the list; Recall check…
 * shows its grid (and runs it for the model in use). The work (listing, loading, deleting) runs off the JavaFX thread,
 * in what the window gives the dialog.
 */
public final class ModelsDialog {
    private final Stage stage = new Stage();
    private final TableView<LocalModel> table = new TableView<>();
    private final Label status = new Label();
    private final Button use = new Button("Use this model");
    private final Button delete = new Button("Delete…");
    private final Button recallCheck = new Button("Recall check…");
    private final Recall recall;
    /** Each model's recall verdict in a few words, by checkpoint (read with the list). */
    private Map<Path, String> recallSummaries = Map.of();
    private final Supplier<CompletableFuture<List<LocalModel>>> list;
    private final Supplier<Optional<Path>> inUse;
    private final Function<LocalModel, CompletableFuture<?>> load;
    private final Function<LocalModel, CompletableFuture<?>> remove;
    private final Predicate<LocalModel> confirmDelete;
    /** The model being loaded, if any: neither used again nor deleted meanwhile. */
    private LocalModel loading;

    /** Each model's recall check: its verdict for the list, and its dialog (the grid; running it for the model in use). */
    public interface Recall {
        CompletableFuture<Map<Path, String>> summaries(List<LocalModel> models);

        void show(Window owner, LocalModel model);
    }

    /**
     * @param list          the models of the folder, listed off the JavaFX thread
     * @param inUse         the checkpoint of the model in use
     * @param load          loads a model (completes when it is in use)
     * @param remove        deletes a model's files (completes when they are gone)
     * @param confirmDelete asks the person (the window shows {@link DeleteModelDialog})
     * @param recall        the models' recall checks
     */
    public ModelsDialog(Window owner, Path modelsDir, Supplier<CompletableFuture<List<LocalModel>>> list, Supplier<Optional<Path>> inUse,
                        Function<LocalModel, CompletableFuture<?>> load, Function<LocalModel, CompletableFuture<?>> remove,
                        Predicate<LocalModel> confirmDelete, Recall recall) {
        this.list = list;
        this.recall = recall;
        this.inUse = inUse;
        this.load = load;
        this.remove = remove;
        this.confirmDelete = confirmDelete;
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Models");

        Label header = new Label("The models in " + modelsDir + ". Downloads go there; ./goldfinch demo-model writes a demo model there.");
        header.setWrapText(true);
        header.setMinHeight(Region.USE_PREF_SIZE); // wrapped, not cut short
        table.setId("models-table");
        table.setPlaceholder(new Label("No models here yet: File → Download a model…, or ./goldfinch demo-model"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(
                DownloadDialog.<LocalModel>column("", 60, m -> isInUse(m) ? "in use" : ""),
                DownloadDialog.<LocalModel>column("Model", 420, LocalModel::name),
                DownloadDialog.<LocalModel>column("Size", 90, m -> Format.bytes(m.bytes())),
                DownloadDialog.<LocalModel>column("Recall", 250, m -> recallSummaries.getOrDefault(m.checkpoint(), "")),
                DownloadDialog.<LocalModel>column("File", 200, m -> m.checkpoint().getFileName().toString())));
        table.setPrefHeight(260);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (a != null && b != null && loading == null) status.setText(""); // another model chosen: what was said is about the last
            buttons();
        });
        table.setRowFactory(t -> {
            javafx.scene.control.TableRow<LocalModel> row = new javafx.scene.control.TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) useSelected();
            });
            return row;
        });
        status.setId("models-status");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        use.setId("models-use");
        use.setDefaultButton(true);
        use.setOnAction(e -> useSelected());
        delete.setId("models-delete");
        delete.setOnAction(e -> deleteSelected());
        recallCheck.setId("models-recall");
        recallCheck.setOnAction(e -> {
            LocalModel m = table.getSelectionModel().getSelectedItem();
            if (m != null) recall.show(stage, m);
        });
        Button close = new Button("Close");
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(8, use, delete, recallCheck, gap, close);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox root = new VBox(10, header, table, status, bar);
        root.setPadding(new Insets(14));
        VBox.setVgrow(table, Priority.ALWAYS);
        Scene scene = new Scene(root, 1040, -1);
        if (owner != null && owner.getScene() != null) scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        stage.setScene(scene);
        buttons();
    }

    public Stage stage() {
        return stage;
    }

    public TableView<LocalModel> table() {
        return table;
    }

    public void show() {
        stage.show();
        refresh();
    }

    /** Lists the folder again, keeping the selection where it can. */
    public CompletableFuture<List<LocalModel>> refresh() {
        Path selected = Optional.ofNullable(table.getSelectionModel().getSelectedItem()).map(LocalModel::checkpoint).orElse(null);
        return list.get().whenCompleteAsync((models, t) -> {
            if (t != null) {
                status.setText("Cannot list the models: " + Fx.cause(t).getMessage());
                return;
            }
            table.getItems().setAll(models);
            refreshRecall(models);
            models.stream().filter(m -> m.checkpoint().equals(selected)).findFirst()
                    .or(() -> models.stream().filter(this::isInUse).findFirst())
                    .ifPresentOrElse(m -> table.getSelectionModel().select(m), () -> table.getSelectionModel().selectFirst());
            buttons();
        }, Fx.THREAD);
    }

    /** The models' recall verdicts, read off the JavaFX thread; shown when they come. */
    public CompletableFuture<Map<Path, String>> refreshRecall(List<LocalModel> models) {
        return recall.summaries(models).whenCompleteAsync((found, t) -> {
            if (t != null) return; // the column stays empty; the dialog says what is wrong
            recallSummaries = found;
            table.refresh();
        }, Fx.THREAD);
    }

    /** Each model's recall verdict as the list shows it. */
    public Map<Path, String> recallSummaries() {
        return recallSummaries;
    }

    private boolean isInUse(LocalModel m) {
        return inUse.get().map(p -> p.toAbsolutePath().normalize().equals(m.checkpoint().toAbsolutePath().normalize())).orElse(false);
    }

    private void buttons() {
        LocalModel m = table.getSelectionModel().getSelectedItem();
        boolean busy = loading != null;
        use.setDisable(m == null || busy || isInUse(m));
        delete.setDisable(m == null || busy || isInUse(m));
        recallCheck.setDisable(m == null);
        if (busy) return;
        boolean saysWhatHappened = !status.getText().isEmpty() && !status.getText().endsWith(IN_USE_HINT_END);
        if (saysWhatHappened) return; // "Now using …", "Deleted …" stay until the selection changes
        status.setText(m != null && isInUse(m) ? inUseHint(m) : "");
    }

    private static final String IN_USE_HINT_END = "To delete it, switch to another model first.";

    private static String inUseHint(LocalModel m) {
        return "“" + m.name() + "” is in use. " + IN_USE_HINT_END;
    }

    private void useSelected() {
        LocalModel m = table.getSelectionModel().getSelectedItem();
        if (m == null || loading != null || isInUse(m)) return;
        loading = m;
        status.setText("Loading “" + m.name() + "”…");
        buttons();
        load.apply(m).whenCompleteAsync((r, t) -> {
            loading = null;
            status.setText(t != null ? "Cannot use “" + m.name() + "”: " + Fx.cause(t).getMessage() : "Now using “" + m.name() + "”.");
            table.refresh();
            buttons();
        }, Fx.THREAD);
    }

    private void deleteSelected() {
        LocalModel m = table.getSelectionModel().getSelectedItem();
        if (m == null || loading != null || isInUse(m) || !confirmDelete.test(m)) return;
        remove.apply(m).whenCompleteAsync((r, t) -> {
            status.setText(t != null ? "Cannot delete “" + m.name() + "”: " + Fx.cause(t).getMessage() : "Deleted “" + m.name() + "”.");
            refresh();
        }, Fx.THREAD);
    }
}
