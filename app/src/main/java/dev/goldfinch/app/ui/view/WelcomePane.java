package dev.goldfinch.app.ui.view;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The first screen when no model has been chosen: what a model is for, "Open a checkpoint…" and "Download…". */
public final class WelcomePane extends VBox {
    private final Button open = new Button("Open a checkpoint…");
    private final Button download = new Button("Download…");
    private final ProgressIndicator busy = new ProgressIndicator();
    private final Label status = new Label();

    public WelcomePane(Image icon, Runnable onOpen, Runnable onDownload) {
        getStyleClass().add("welcome-pane");
        setId("welcome");
        setAlignment(Pos.CENTER);
        setSpacing(16);
        ImageView logo = new ImageView(icon);
        logo.setFitWidth(96);
        logo.setFitHeight(96);
        Label title = new Label("Welcome to GoldFinch Reader");
        title.getStyleClass().add("welcome-title");
        Label text = new Label("GoldFinch Reader reads a long document once with a language model on your computer (RWKV-7 G1, RWKV-6 "
                + "or GoldFinch), keeps what the model made of it, small and saved, and then answers question after question "
                + "without reading it again.\n\n"
                + "To begin, download a model (Download… lists what fits this computer and recommends one), or open a "
                + "checkpoint (a .pth file) you already have and the vocabulary file that goes with it (rwkv_vocab_v20230424.txt). "
                + "Your choice is remembered.\n\n"
                + "To try the app without downloading anything, ./goldfinch demo-model writes a small model of random weights "
                + "(its answers are noise); File → Models… lists it.");
        text.setWrapText(true);
        text.setMaxWidth(560);
        text.getStyleClass().add("welcome-text");
        open.setId("open-checkpoint");
        open.getStyleClass().add("primary");
        open.setDefaultButton(true);
        open.setOnAction(e -> onOpen.run());
        download.setId("download-model");
        download.setOnAction(e -> onDownload.run());
        download.setTooltip(new Tooltip("Download a model of the catalogue and its vocabulary"));
        HBox buttons = new HBox(12, open, download);
        buttons.setAlignment(Pos.CENTER);
        busy.setPrefSize(28, 28);
        busy.setVisible(false);
        status.setId("welcome-status");
        status.getStyleClass().add("hint");
        HBox statusLine = new HBox(8, busy, status);
        statusLine.setAlignment(Pos.CENTER);
        getChildren().addAll(logo, title, text, buttons, statusLine);
    }

    public void setBusy(String what) {
        busy.setVisible(what != null);
        open.setDisable(what != null);
        download.setDisable(what != null);
        status.setText(what == null ? "" : what);
    }

    /** What the window shows while it opens the library: a spinner and what it is doing. */
    public static Node busy(String what) {
        ProgressIndicator p = new ProgressIndicator();
        p.setMaxSize(48, 48);
        Label l = new Label(what);
        l.getStyleClass().add("hint");
        VBox box = new VBox(12, p, l);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    /** What the window shows when its library cannot be opened, and what to do. */
    public static Node libraryError(String text) {
        Label l = new Label(text + "\nChoose another store with  ./goldfinch app --store FILE, or move the file away.");
        l.setWrapText(true);
        l.getStyleClass().add("placeholder");
        return l;
    }
}
