package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.models.DownloadException;
import dev.goldfinch.app.models.DownloadHandle;
import dev.goldfinch.app.models.DownloadOptions;
import dev.goldfinch.app.models.DownloadProgress;
import dev.goldfinch.app.models.InstalledModel;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.models.ModelCatalogue.Entry;
import dev.goldfinch.app.models.ModelDownloader;
import dev.goldfinch.app.models.ModelsFolder;
import dev.goldfinch.app.models.ReadingTime;
import dev.goldfinch.app.models.Recommendation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * "Download a model…": the catalogue (size, memory in bf16 and int8, whether it fits this machine, how long it would
 * take to read a 100-page document here, licence, note; the recommended model preselected and the reason said in one
 * sentence), Download with a progress bar and a status line, what the repository's listing showed (the file found), Pause / Resume (a paused download
 * keeps its {@code .part} file and the next Download continues it), a failure as its one-line reason. The transfer
 * runs on its own thread, never on the JavaFX thread; progress is handed over a few times a second. When both files
 * are in place, {@code onInstalled} gets them (the window loads the model as if it had been opened).
 */
public final class DownloadDialog {
    private final ModelCatalogue catalogue;
    private final Path modelsDir;
    private final long machineMemory;
    private final ReadingTime reading;
    private final Recommendation recommendation;
    private final DownloadOptions downloaderOptions;
    private final Consumer<InstalledModel> onInstalled;
    private final Stage stage = new Stage();
    private final TableView<Entry> table = new TableView<>();
    private final Label note = new Label();
    private final Label found = new Label();
    private final ProgressBar bar = new ProgressBar(0);
    private final Label status = new Label();
    private final Label error = new Label();
    private final Button download = new Button("Download");
    private final Button pause = new Button("Pause");
    private final Button close = new Button("Close");
    private final AtomicReference<DownloadProgress> latest = new AtomicReference<>();
    private final AtomicBoolean updatePending = new AtomicBoolean();
    private DownloadHandle running;
    private Entry runningEntry;
    private String doneLine = "";

    /**
     * @param machineMemory  this machine's memory (what fits)
     * @param prefillFlops   the FLOP/s this machine's pre-fill sustains ({@link dev.goldfinch.app.models.MachineSpeed}):
     *                       the reading times and the recommendation
     */
    public DownloadDialog(Window owner, ModelCatalogue catalogue, Path modelsDir, long machineMemory, double prefillFlops,
                          DownloadOptions downloaderOptions, Consumer<InstalledModel> onInstalled) {
        this.catalogue = catalogue;
        this.modelsDir = modelsDir;
        this.machineMemory = machineMemory;
        this.reading = ReadingTime.of(catalogue, prefillFlops);
        this.recommendation = catalogue.recommend(machineMemory, reading);
        this.downloaderOptions = downloaderOptions;
        this.onInstalled = onInstalled;
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Download a model");

        Label header = new Label("Choose a model to download. It goes to " + modelsDir + ", with the vocabulary it needs.");
        header.setWrapText(true);
        Label machine = new Label("This machine has " + DownloadProgress.bytes(machineMemory) + " of memory and pre-fills about "
                + reading.rate() + " (estimated): reading times are estimates from each model's size.");
        machine.getStyleClass().add("hint");
        machine.setWrapText(true);
        Label why = new Label(recommendation.reason());
        why.setId("download-recommendation");
        why.setWrapText(true);

        table.setId("download-table");
        table.getItems().setAll(catalogue.models());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(
                column("Model", 215, Entry::name),
                column("Kind", 50, Entry::kind),
                column("Download", 80, e -> (e.downloadBytes() > 0 ? "" : "~") + DownloadProgress.bytes(e.expectedBytes())),
                column("Memory bf16 / int8", 150, e -> DownloadProgress.bytes(e.memoryBf16()) + " / " + DownloadProgress.bytes(e.memoryInt8())),
                column("This machine", 190, this::fitText),
                column("Reads 100 pages", 135, e -> ReadingTime.describe(reading.documentSeconds(e))),
                column("Licence", 85, Entry::license),
                column("Note", 220, Entry::note)));
        table.getColumns().getLast().setMinWidth(120);
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(Entry e, boolean empty) {
                super.updateItem(e, empty);
                setTooltip(empty || e == null ? null : new Tooltip(e.note()));
                getStyleClass().removeAll("fits", "int8-only", "too-big");
                if (!empty && e != null) getStyleClass().add(switch (ModelCatalogue.fit(e, machineMemory)) {
                    case BF16 -> "fits";
                    case INT8_ONLY -> "int8-only";
                    case TOO_BIG -> "too-big";
                });
            }
        });
        table.setPrefHeight(Math.min(12, catalogue.models().size() + 1) * 26 + 8);
        table.setMinHeight(120);
        table.getSelectionModel().select(recommendation.entry());
        table.scrollTo(Math.max(0, table.getItems().indexOf(recommendation.entry()) - 3)); // with a few rows above it
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> selectionChanged());

        note.setId("download-note");
        note.setWrapText(true);
        found.setId("download-found");
        found.setWrapText(true);
        found.getStyleClass().add("hint");
        bar.setId("download-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        status.setId("download-status");
        status.setWrapText(true);
        error.setId("download-error");
        error.setWrapText(true);
        error.getStyleClass().add("download-error");
        error.setStyle("-fx-text-fill: #b3261e;");

        download.setId("download-start");
        download.getStyleClass().add("primary");
        download.setDefaultButton(true);
        download.setOnAction(e -> start());
        pause.setId("download-pause");
        pause.setDisable(true);
        pause.setOnAction(e -> pause());
        close.setId("download-close");
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, download, pause, gap, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        VBox root = new VBox(10, header, machine, why, table, note, bar, status, found, error, buttons);
        root.setPadding(new Insets(14));
        root.setId("download-dialog");
        Scene scene = new Scene(root, 1180, -1);
        if (owner != null && owner.getScene() != null) scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        stage.setScene(scene);
        stage.setOnHidden(e -> pause()); // closing the dialog pauses: the part is kept for the next time
        selectionChanged();
    }

    /** A column of text, for this dialog's table and the models dialog's. */
    static <T> TableColumn<T, String> column(String title, double width, java.util.function.Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setMinWidth(Math.min(width, 150));
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue() == null ? "" : value.apply(d.getValue())));
        return c;
    }

    private String fitText(Entry e) {
        return switch (ModelCatalogue.fit(e, machineMemory)) {
            case BF16 -> "fits";
            case INT8_ONLY -> "int8 only";
            case TOO_BIG -> "too big for this machine";
        } + (e.equals(recommendation.entry()) ? " (recommended)" : "");
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
    }

    public boolean isDownloading() {
        return running != null;
    }

    /** Pauses a running download (the part is kept); nothing when none runs. */
    public void pause() {
        if (running != null) {
            running.cancel();
            pause.setDisable(true);
            status.setText("Pausing…");
        }
    }

    private void selectionChanged() {
        if (running != null) return;
        Entry e = table.getSelectionModel().getSelectedItem();
        download.setDisable(e == null);
        if (e == null) {
            note.setText("");
            return;
        }
        String reads = "Reads a 100-page document (50k tokens) in " + ReadingTime.describe(reading.documentSeconds(e))
                + " here" + (e.parametersEstimated() ? " (its size is an estimate)" : "") + (e.context() > 0 ? "; trained at a " + e.context() + "-token context." : ".");
        note.setText(e.name() + ": " + e.note() + "\n" + reads + (ModelCatalogue.fit(e, machineMemory) == ModelCatalogue.Fit.TOO_BIG
                ? "\nThis model needs more memory than this machine has." : ""));
        if (ModelsFolder.installed(catalogue, e, modelsDir).isPresent()) {
            download.setText("Use this model (downloaded)");
            return;
        }
        long kept = ModelsFolder.partialBytes(e, modelsDir);
        download.setText(kept > 0 ? "Resume (" + DownloadProgress.bytes(kept) + " kept)" : "Download");
    }

    /** Download (or resume) the selected entry on a background thread. */
    private void start() {
        Entry e = table.getSelectionModel().getSelectedItem();
        if (e == null || running != null) return;
        DownloadHandle handle = new DownloadHandle();
        running = handle;
        runningEntry = e;
        error.setText("");
        found.setText("");
        status.setText(e.name() + ": " + (e.resolve() != null && ModelsFolder.installed(catalogue, e, modelsDir).isEmpty()
                ? "looking up the file in " + e.resolve().where() + "…" : "starting…"));
        bar.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        download.setDisable(true);
        pause.setDisable(false);
        table.setDisable(true);
        Thread.ofPlatform().daemon().name("goldfinch-download").start(() -> {
            InstalledModel installed = null;
            Throwable failure = null;
            try (ModelDownloader d = new ModelDownloader(downloaderOptions)) {
                installed = d.downloadModel(catalogue, e, modelsDir, this::progress, handle, line -> runLater(() -> found.setText(line)));
            } catch (Throwable t) {
                failure = t;
            }
            InstalledModel ok = installed;
            Throwable bad = failure;
            runLater(() -> finished(handle, ok, bad));
        });
    }

    /** On the downloading thread: keep the newest report, and hand it to the JavaFX thread once at a time. */
    private void progress(DownloadProgress p) {
        latest.set(p);
        if (updatePending.compareAndSet(false, true)) {
            runLater(() -> {
                updatePending.set(false);
                DownloadProgress q = latest.get();
                if (q != null && running != null) show(q);
            });
        }
    }

    private void show(DownloadProgress p) {
        status.setText(p.describe());
        double f = p.fraction();
        bar.setProgress(p.phase() == DownloadProgress.Phase.DONE ? 1 : Double.isNaN(f) ? ProgressBar.INDETERMINATE_PROGRESS : f);
    }

    private void finished(DownloadHandle handle, InstalledModel installed, Throwable failure) {
        if (running != handle) return;
        Entry e = runningEntry;
        running = null;
        runningEntry = null;
        table.setDisable(false);
        pause.setDisable(true);
        download.setDisable(false);
        if (installed != null) {
            DownloadProgress last = latest.get();
            if (last != null && last.phase() == DownloadProgress.Phase.DONE) show(last);
            bar.setProgress(1);
            doneLine = (last != null && last.phase() == DownloadProgress.Phase.DONE ? last.describe() + ". " : "") + e.name() + " is downloaded";
            status.setText(doneLine + "; loading it…");
            installed.unverifiedWarning().ifPresent(w -> found.setText((found.getText().isEmpty() ? "" : found.getText() + "\n")
                    + Character.toUpperCase(w.charAt(0)) + w.substring(1) + "."));
            selectionChanged();
            download.setDisable(true);
            close.setDefaultButton(true);
            onInstalled.accept(installed);
            return;
        }
        selectionChanged();
        long kept = ModelsFolder.partialBytes(e, modelsDir);
        if (failure instanceof DownloadException d && d.kind() == DownloadException.Kind.PAUSED) {
            status.setText("Paused" + (kept > 0 ? "; " + DownloadProgress.bytes(kept) + " kept for Resume." : "."));
            bar.setProgress(fraction(kept, e));
            return;
        }
        status.setText(failure instanceof DownloadException d && (d.kind() == DownloadException.Kind.INTERRUPTED)
                ? "Stopped" + (kept > 0 ? "; " + DownloadProgress.bytes(kept) + " kept for Resume." : ".") : "Not downloaded.");
        bar.setProgress(kept > 0 ? fraction(kept, e) : 0);
        String message = failure == null ? "the download failed" : failure.getMessage();
        error.setText(message == null || message.isBlank() ? failure.getClass().getSimpleName() : message);
    }

    private static double fraction(long kept, Entry e) {
        return e.expectedBytes() > 0 ? Math.min(1, (double) kept / e.expectedBytes()) : 0;
    }

    /** After the window loaded the downloaded model (or failed to). */
    public void modelLoaded(String name, Throwable failure) {
        if (failure == null) {
            status.setText(doneLine + " and loaded: it is ready in the main window.");
        } else {
            error.setText("The model was downloaded but does not load: " + failure.getMessage());
        }
    }

    private static void runLater(Runnable r) {
        try {
            Platform.runLater(r);
        } catch (IllegalStateException exited) {
            // JavaFX has exited: no dialog left to update
        }
    }
}
