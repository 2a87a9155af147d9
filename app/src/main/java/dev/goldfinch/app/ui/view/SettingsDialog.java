package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.FileDialogs;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.kernel.Parallel;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * Threads, sampling, answer length, cache precision, model weights, prompt layout, thinking and theme; the model in use is shown, and the
 * store can be moved (a new or existing store file, used from the next start), and so can the folder downloaded
 * models go to.
 */
public final class SettingsDialog {
    private SettingsDialog() {
    }

    /** Shows the dialog; the edited copy of the settings when OK was pressed. */
    public static Optional<Settings> edit(Window owner, Settings current, Path store, FileDialogs dialogs) {
        Settings s = current.copy();
        Dialog<Settings> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Settings");
        dialog.setHeaderText("GoldFinch Reader settings");
        dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        dialog.getDialogPane().getStyleClass().add("settings-dialog");
        ButtonType ok = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(ok, ButtonType.CANCEL);

        int cores = Runtime.getRuntime().availableProcessors();
        Spinner<Integer> threads = new Spinner<>(1, Parallel.maxThreads(), s.effectiveThreads());
        threads.setId("settings-threads");
        threads.setEditable(true);
        Spinner<Double> temperature = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0, 2, s.temperature, 0.05));
        temperature.setId("settings-temperature");
        temperature.setEditable(true);
        temperature.setTooltip(new Tooltip("0 = always the most likely word (greedy); higher = more varied"));
        Spinner<Double> topP = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0.05, 1, s.topP, 0.05));
        topP.setId("settings-top-p");
        topP.setEditable(true);
        numbersOnly(temperature);
        numbersOnly(topP);
        Spinner<Integer> length = new Spinner<>(8, 8192, s.maxAnswerTokens, 32);
        length.setId("settings-answer-length");
        length.setEditable(true);
        ChoiceBox<String> precision = new ChoiceBox<>();
        precision.getItems().addAll("f16", "q8", "f32");
        precision.setValue(s.cachePrecision == null ? "f16" : s.cachePrecision.toLowerCase());
        precision.setId("settings-precision");
        ChoiceBox<String> layout = new ChoiceBox<>();
        layout.getItems().addAll("plain", "chat", "g1");
        layout.setValue(s.layout().id);
        layout.setId("settings-layout");
        CheckBox think = new CheckBox("Think before answering");
        think.setSelected(s.think);
        think.setId("settings-think");
        ChoiceBox<String> weights = new ChoiceBox<>();
        weights.getItems().addAll("auto", "stored", "int8");
        weights.setValue(weights.getItems().contains(s.weights) ? s.weights : "auto");
        weights.setId("settings-weights");
        ChoiceBox<String> theme = new ChoiceBox<>();
        theme.getItems().addAll("light", "dark");
        theme.setValue(s.dark() ? "dark" : "light");
        theme.setId("settings-theme");

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(10);
        grid.getStyleClass().add("settings-grid");
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
        int row = 0;
        row = add(grid, row, "Threads", threads, "Worker threads of the model (this computer has " + cores + " cores)");
        row = add(grid, row, "Temperature", temperature, null);
        row = add(grid, row, "Top-p", topP, "Sample only from the most likely words that together have this probability");
        row = add(grid, row, "Answer length (tokens)", length, null);
        row = add(grid, row, "Cache precision", precision, "f16: 16 bits a number (default); q8: half the size, slightly less exact; f32: exact. Applies to the next reading.");
        row = add(grid, row, "Model weights", weights, "stored: as in the checkpoint (bf16 or f32); int8: half the memory of bf16, logits within "
                + "about 4% of the exact ones (quantized on the first load, then cached); auto: int8 only when the model as stored would not "
                + "fit in 3/4 of this computer's memory. A change loads the model again.");
        row = add(grid, row, "Prompt layout", layout, "plain: Question:/Answer: (the paper's base models); chat: User:/Assistant: (chat-tuned models); "
                + "g1: the RWKV-7 G1 template. RWKV-7 models always use g1. A change of the document part (g1 or not) reads documents again.");
        row = add(grid, row, "Thinking (G1)", think, "G1 models: think first, shown folded above the answer (slower); "
                + "off: an empty thought, fast and good");
        row = add(grid, row, "Theme", theme, null);
        row = add(grid, row, "Model", wrap(s.modelPath == null ? "none" : s.modelPath), null);
        row = add(grid, row, "Vocabulary", wrap(s.vocabPath == null ? "none" : s.vocabPath), null);
        Label storeLabel = wrap(store == null ? "" : store.toString());
        Button changeStore = new Button("Change…");
        changeStore.setId("settings-store");
        changeStore.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        storeLabel.setMaxWidth(360);
        changeStore.setOnAction(e -> dialogs.chooseStore(dialog.getDialogPane().getScene().getWindow(), store).ifPresent(p -> {
            s.storePath = p.toAbsolutePath().normalize().toString();
            storeLabel.setText(s.storePath + "\n(used from the next start)");
            dialog.getDialogPane().getScene().getWindow().sizeToScene();
        }));
        HBox storeRow = new HBox(8, storeLabel, changeStore);
        storeRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        row = add(grid, row, "Store", storeRow, "Where documents, their caches and conversations are kept");
        Label modelsLabel = wrap(s.modelsFolder().toString());
        modelsLabel.setId("settings-models-folder");
        modelsLabel.setMaxWidth(360);
        Button changeModels = new Button("Change…");
        changeModels.setId("settings-models");
        changeModels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        changeModels.setOnAction(e -> dialogs.chooseModelsFolder(dialog.getDialogPane().getScene().getWindow(), s.modelsFolder()).ifPresent(p -> {
            s.modelsDir = p.toAbsolutePath().normalize().toString();
            modelsLabel.setText(s.modelsDir);
        }));
        HBox modelsRow = new HBox(8, modelsLabel, changeModels);
        modelsRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        add(grid, row, "Models folder", modelsRow, "Where Download a model… puts models and their vocabulary");
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().setPrefWidth(700);
        dialog.setResultConverter(b -> {
            if (b != ok) return null;
            commit(threads);
            commit(temperature);
            commit(topP);
            commit(length);
            s.threads = threads.getValue();
            s.temperature = temperature.getValue();
            s.topP = topP.getValue();
            s.maxAnswerTokens = length.getValue();
            s.cachePrecision = precision.getValue();
            s.promptLayout = layout.getValue();
            s.think = think.isSelected();
            s.weights = weights.getValue();
            s.theme = theme.getValue();
            return s;
        });
        return dialog.showAndWait();
    }

    /**
     * Typed "NaN" or "Infinity" is no value: the spinner's bounds would keep Infinity in range but not NaN (every
     * comparison with it is false), so both are refused like any other text that is not a number.
     */
    private static void numbersOnly(Spinner<Double> spinner) {
        StringConverter<Double> parse = spinner.getValueFactory().getConverter();
        spinner.getValueFactory().setConverter(new StringConverter<>() {
            @Override
            public String toString(Double value) {
                return parse.toString(value);
            }

            @Override
            public Double fromString(String text) {
                Double value = parse.fromString(text);
                if (value == null || !Double.isFinite(value)) throw new NumberFormatException("not a number: " + text);
                return value;
            }
        });
    }

    /** Takes the typed text of an editable spinner; text that is not a number leaves the previous value. */
    private static void commit(Spinner<?> spinner) {
        try {
            spinner.commitValue();
        } catch (RuntimeException notANumber) {
            spinner.cancelEdit();
        }
    }

    private static Label wrap(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMaxWidth(420);
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        l.getStyleClass().add("hint");
        return l;
    }

    private static int add(GridPane grid, int row, String label, javafx.scene.Node field, String tip) {
        Label l = new Label(label);
        l.setLabelFor(field);
        if (tip != null) {
            Tooltip t = new Tooltip(tip);
            t.setWrapText(true);
            t.setMaxWidth(360);
            l.setTooltip(t);
            if (field instanceof javafx.scene.control.Control c) c.setTooltip(t);
        }
        grid.addRow(row, l, field);
        return row + 1;
    }
}
