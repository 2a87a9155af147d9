package dev.goldfinch.app.ui.view;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Help → Keyboard shortcuts: every key the window answers, grouped by where it works (the menus, the question box…). */
public final class ShortcutsDialog {
    /** A key and what it does, {@code where} it works ("Menus", "Question box", "Find bar"). */
    public record Shortcut(String where, String keys, String action) {
    }

    private ShortcutsDialog() {
    }

    public static Alert show(Window owner, List<Shortcut> shortcuts) {
        GridPane grid = new GridPane();
        grid.setId("shortcuts-grid");
        grid.setHgap(18);
        grid.setVgap(4);
        grid.setPadding(new Insets(4, 8, 4, 4));
        Map<String, List<Shortcut>> byPlace = new LinkedHashMap<>();
        for (Shortcut s : shortcuts) byPlace.computeIfAbsent(s.where(), k -> new java.util.ArrayList<>()).add(s);
        int row = 0;
        for (var place : byPlace.entrySet()) {
            Label heading = new Label(place.getKey());
            heading.getStyleClass().add("section-heading");
            heading.setStyle("-fx-font-weight: bold;");
            if (row > 0) GridPane.setMargin(heading, new Insets(8, 0, 0, 0));
            grid.add(heading, 0, row++, 2, 1);
            for (Shortcut s : place.getValue()) {
                Label keys = new Label(s.keys());
                keys.getStyleClass().add("shortcut-keys");
                Label action = new Label(s.action());
                action.getStyleClass().add("shortcut-action");
                grid.add(keys, 0, row);
                grid.add(action, 1, row++);
            }
        }
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(Math.min(600, row * 22 + 16)); // all of it at once on a usual screen
        return HelpPage.show(owner, "Keyboard shortcuts", "Keyboard shortcuts", scroll, 520);
    }
}
