package dev.goldfinch.app.ui.view;

import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Help → Getting started: get a model, add a document, ask; and where an answer's sources come from. */
public final class GettingStartedDialog {
    private GettingStartedDialog() {
    }

    /** {@code download}, {@code open}: File → Download a model… and Open a checkpoint…, offered as buttons on the page. */
    public static Alert show(Window owner, Runnable download, Runnable open) {
        Alert[] shown = new Alert[1]; // the page's buttons close it
        Button downloadButton = new Button("Download a model…");
        downloadButton.setId("getting-started-download");
        downloadButton.setOnAction(e -> {
            shown[0].close();
            download.run();
        });
        Button openButton = new Button("Open a checkpoint…");
        openButton.setId("getting-started-open");
        openButton.setOnAction(e -> {
            shown[0].close();
            open.run();
        });
        HBox buttons = new HBox(8, downloadButton, openButton);
        VBox page = new VBox(10,
                step("1. Get a model.", "File → Download a model… lists models that fit this computer, with how long each takes to read "
                        + "a 100-page document here; File → Open a checkpoint… uses a .pth you already have. To try the app first, "
                        + "`./goldfinch demo-model` writes a small model of random weights (its answers are noise) that File → Models… lists."),
                buttons,
                step("2. Add a document.", "File → Add documents… (Ctrl+O), the Add button, or drop files on the window: PDF, Word, "
                        + "OpenDocument, e-book, HTML, text and Markdown. The model reads each one once, in the background, and keeps "
                        + "what it read in the library; a cancelled reading goes on from its last checkpoint."),
                step("3. Ask.", "Select a document that is ready, type a question and press Enter. The answer streams in; Esc "
                        + "stops it. Every question starts from the document as read, so no question changes the next one."),
                step("Where the sources come from.", "A GoldFinch model's attention layers look back at every token of the document "
                        + "while answering. The passages they looked at most are listed under the answer with their page (or "
                        + "heading, or lines), under \"where the model looked\"; click one to see it highlighted in the document "
                        + "view (Ctrl+D). Models without attention layers (Finch, RWKV-7) cannot say where they looked: their "
                        + "answers list the sentences of the document that best match the question and the answer, under "
                        + "\"passages matching the answer\"."));
        page.setId("getting-started-page");
        page.setPadding(new Insets(4));
        page.setPrefWidth(560);
        shown[0] = HelpPage.show(owner, "Getting started", "Getting started with GoldFinch Reader", page, 600);
        return shown[0];
    }

    private static VBox step(String title, String text) {
        Label t = new Label(title);
        t.setStyle("-fx-font-weight: bold;");
        Label body = new Label(text);
        body.setWrapText(true);
        return new VBox(2, t, body);
    }
}
