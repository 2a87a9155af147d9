package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.service.ModelInfo;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.reading.PrefillProgress;
import java.util.function.LongSupplier;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;

/** The bottom line: the model in use, its threads, memory, and while a document is read: speed, time left, Cancel. */
public final class StatusBar extends HBox {
    private final Label model = new Label("No model");
    private final Label threads = new Label();
    private final Label memory = new Label();
    private final Label message = new Label();
    private final Label readOnly = new Label("Read-only library");
    /** The document being read: shortened first when the line is narrow. */
    private final Label reading = new Label();
    /** Its figures (share, speed, time left): never cut off. */
    private final Label readingFigures = new Label();
    /** A message stays this long, then goes: what it said is no longer news (a sticky one, read-only, stays). */
    private final PauseTransition messageLife = new PauseTransition(MESSAGE_SECONDS);
    private final ProgressBar readingProgress = new ProgressBar(0);
    private final Button cancel = new Button("Cancel");
    private final HBox readingBox;
    private final Timeline memoryTimer = new Timeline(new KeyFrame(Duration.seconds(2), e -> refreshMemory()));
    private LongSupplier modelBytes = () -> 0, documentBytes = () -> 0;

    public StatusBar(Runnable onCancelReading) {
        getStyleClass().add("status-bar");
        setId("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(10);
        model.setId("status-model");
        threads.setId("status-threads");
        memory.setId("status-memory");
        message.setId("status-message");
        reading.setId("status-reading");
        readingFigures.setId("status-reading-figures");
        readingFigures.setMinWidth(Region.USE_PREF_SIZE);
        messageLife.setOnFinished(e -> {
            message.setText("");
            message.setTooltip(null);
        });
        message.getStyleClass().add("status-message");
        readOnly.setId("status-read-only");
        readOnly.getStyleClass().add("status-read-only");
        readOnly.setMinWidth(Region.USE_PREF_SIZE);
        readOnly.setTooltip(new Tooltip(READ_ONLY));
        readOnly.setVisible(false);
        readOnly.setManaged(false);
        message.setMinWidth(0);
        threads.setMinWidth(Region.USE_PREF_SIZE);
        // A long model name gives way before the reading figures do; its tooltip has it whole.
        model.setMinWidth(90);
        model.setMaxWidth(320);
        memory.setMinWidth(Region.USE_PREF_SIZE);
        memory.setTooltip(new Tooltip("The mapped model, the opened documents' caches and the Java heap in use"));
        HBox.setHgrow(message, Priority.SOMETIMES);
        cancel.setId("cancel-reading");
        cancel.getStyleClass().add("small-button");
        cancel.setTooltip(new Tooltip("Stop reading; what was read so far is kept and reading resumes later"));
        cancel.setOnAction(e -> onCancelReading.run());
        readingProgress.setPrefWidth(140);
        readingProgress.setMinWidth(60);
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        reading.setMinWidth(60);
        readingBox = new HBox(8, reading, readingFigures, readingProgress, cancel);
        readingBox.setAlignment(Pos.CENTER_LEFT);
        readingBox.setId("status-reading-box");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        getChildren().addAll(model, new Separator(javafx.geometry.Orientation.VERTICAL), threads, new Separator(javafx.geometry.Orientation.VERTICAL),
                memory, new Separator(javafx.geometry.Orientation.VERTICAL), readOnly, message, grow, readingBox);
        showReading(null, null);
    }

    public void showModel(ModelInfo info) {
        if (info == null) {
            model.setText("No model");
            model.setTooltip(null);
            threads.setText("");
            return;
        }
        model.setText("Model: " + info.name() + (info.weights() == WeightFormat.INT8 ? " (int8)" : ""));
        model.setTooltip(new Tooltip(model.getText() + "\n" + info.description() + "\n" + info.checkpoint()));
        showThreads(info.threads());
    }

    public void showThreads(int n) {
        threads.setText(Format.plural(n, "thread", "threads"));
    }

    public void showMemory(long modelBytes, long documentBytes, long heapBytes) {
        memory.setText("Memory: model " + Format.bytes(modelBytes) + " · documents " + Format.bytes(documentBytes) + " · heap " + Format.bytes(heapBytes));
    }

    /** Shows the memory in use every two seconds: the model's bytes, the open documents' and the Java heap. */
    public void meterMemory(LongSupplier modelBytes, LongSupplier documentBytes) {
        this.modelBytes = modelBytes;
        this.documentBytes = documentBytes;
        memoryTimer.setCycleCount(Timeline.INDEFINITE);
        memoryTimer.play();
    }

    /** The memory figures now (after a model has loaded, say). */
    public void refreshMemory() {
        Runtime rt = Runtime.getRuntime();
        showMemory(modelBytes.getAsLong(), documentBytes.getAsLong(), rt.totalMemory() - rt.freeMemory());
    }

    public void stopMemoryMeter() {
        memoryTimer.stop();
    }

    /** What a read-only library can and cannot do, as the status bar says it. */
    public static final String READ_ONLY = "The library's file or its disk cannot be written: documents already read can be asked about,"
            + " but new readings and conversations are not saved.";

    /** Marks the library read-only for as long as the window is open (a read-only file or file system). */
    public void showReadOnly() {
        readOnly.setVisible(true);
        readOnly.setManaged(true);
        showMessage(READ_ONLY);
    }

    /** Says something for {@link #MESSAGE_SECONDS}; a message cut off by the width is whole in its tooltip. */
    public void showMessage(String text) {
        String t = text == null ? "" : text;
        message.setText(t);
        message.setTooltip(t.isEmpty() ? null : new Tooltip(t));
        messageLife.stop();
        if (!t.isEmpty()) messageLife.playFromStart();
    }

    public static final Duration MESSAGE_SECONDS = Duration.seconds(20);

    /** How long a message stays ({@link #MESSAGE_SECONDS} unless changed; a test shortens it). */
    public void keepMessagesFor(Duration d) {
        messageLife.setDuration(d);
    }

    /** The message shown now ("" when none, or once it has gone). */
    public String message() {
        return message.getText();
    }

    /** Reading progress of a document; a null title hides the reading part, a null progress says it is starting. */
    public void showReading(String title, PrefillProgress p) {
        if (p == null) {
            showReadingStart(title, null);
            return;
        }
        if (!showTitle(title)) return;
        readingFigures.setText(figures(p));
        readingProgress.setProgress(p.fraction());
    }

    /** A reading about to start, with how long it should take ({@code expected}, null when not known). */
    public void showReadingStart(String title, String expected) {
        if (!showTitle(title)) return;
        readingFigures.setText(expected == null ? "starting…" : "starting: " + expected);
        readingProgress.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
    }

    private boolean showTitle(String title) {
        boolean on = title != null;
        readingBox.setVisible(on);
        readingBox.setManaged(on);
        if (on) {
            reading.setText("Reading “" + title + "”");
            reading.setTooltip(new Tooltip(title));
        }
        return on;
    }

    /** "45% · 120 tokens/s · 3 min 10 s left". */
    public static String figures(PrefillProgress p) {
        return LibraryEntry.percent(p.fraction()) + " · " + Format.rate(p.tokensPerSecond()) + " · " + Format.duration(p.secondsLeft()) + " left";
    }

    /** The reading shown waits while a question is answered; it goes on by itself after the answer. */
    public void showReadingPaused(String title) {
        showTitle(title);
        readingFigures.setText("paused for your question; it goes on after the answer");
    }

    public Label modelLabel() {
        return model;
    }
}
