package dev.goldfinch.app.ui.view;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The first screen when no model has been chosen: what a model is for, and "Open a checkpoint…". */
public final class WelcomePane extends VBox {
    private final Button open = new Button("Open a checkpoint…");
    private final ProgressIndicator busy = new ProgressIndicator();
    private final Label status = new Label();

    public WelcomePane(Image icon, Runnable onOpen) {
        getStyleClass().add("welcome-pane");
        setId("welcome");
        setAlignment(Pos.CENTER);
        setSpacing(16);
        ImageView logo = new ImageView(icon);
        logo.setFitWidth(96);
        logo.setFitHeight(96);
        Label title = new Label("Welcome to GoldFinch Reader");
        title.getStyleClass().add("welcome-title");
        Label text = new Label("GoldFinch Reader reads a long document once with a GoldFinch language model on your computer, "
                + "keeps the model's tiny cache of it, and then answers question after question without reading it again.\n\n"
                + "To begin, open a GoldFinch checkpoint (a .pth file) and the vocabulary file that goes with it "
                + "(rwkv_vocab_v20230424.txt). Your choice is remembered.");
        text.setWrapText(true);
        text.setMaxWidth(560);
        text.getStyleClass().add("welcome-text");
        open.setId("open-checkpoint");
        open.getStyleClass().add("primary");
        open.setDefaultButton(true);
        open.setOnAction(e -> onOpen.run());
        Button download = new Button("Download…");
        download.setId("download-model");
        download.setDisable(true);
        Tooltip.install(download, new Tooltip("Downloading the paper's checkpoints is not available yet"));
        HBox buttons = new HBox(12, open, download);
        buttons.setAlignment(Pos.CENTER);
        busy.setPrefSize(28, 28);
        busy.setVisible(false);
        status.setId("welcome-status");
        status.getStyleClass().add("hint");
        HBox statusLine = new HBox(8, busy, status);
        statusLine.setAlignment(Pos.CENTER);
        Label downloadNote = new Label("(Downloading the paper's checkpoints from the app is not available in this version.)");
        downloadNote.getStyleClass().add("hint");
        getChildren().addAll(logo, title, text, buttons, statusLine, downloadNote);
    }

    public void setBusy(String what) {
        busy.setVisible(what != null);
        open.setDisable(what != null);
        status.setText(what == null ? "" : what);
    }
}
