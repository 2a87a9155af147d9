package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.recall.HeatMapPng;
import dev.goldfinch.app.recall.RecallGrid;
import dev.goldfinch.app.recall.RecallPlan;
import dev.goldfinch.app.recall.RecallVerdict;
import java.util.Optional;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.GridPane;
import javafx.scene.paint.Color;

/**
 * A recall grid as a JavaFX heat map: a row per document length, a column per depth, each cell coloured by the share
 * of facts recalled (the PNG's red–yellow–green scale; grey: not checked) with the share in it, and each length's
 * verdict at the end of its row. Cells are {@code #recall-cell-ROW-COLUMN}.
 */
public final class RecallHeatMap extends GridPane {
    static final double CELL_W = 46, CELL_H = 28;

    public RecallHeatMap() {
        setId("recall-heatmap");
        setHgap(2);
        setVgap(2);
    }

    /** Shows {@code grid}, or a line saying there is none. */
    public void show(Optional<RecallGrid> grid) {
        getChildren().clear();
        if (grid.isEmpty()) {
            add(new Label("No recall check of this model yet."), 0, 0);
            return;
        }
        RecallGrid g = grid.get();
        Label corner = new Label("tokens \\ depth");
        corner.setStyle("-fx-font-size: 0.85em;");
        add(corner, 0, 0);
        for (int d = 0; d < g.depths().size(); d++) {
            Label h = new Label(g.depthLabel(d));
            GridPane.setHalignment(h, HPos.CENTER);
            add(h, d + 1, 0);
        }
        for (int r = 0; r < g.lengths().size(); r++) {
            int length = g.lengths().get(r);
            add(new Label(RecallPlan.label(length)), 0, r + 1);
            for (int d = 0; d < g.depths().size(); d++) add(cell(g.share(length, d), r, d), d + 1, r + 1);
            Label verdict = new Label(RecallVerdict.of(g, length));
            verdict.setId("recall-length-verdict-" + r);
            verdict.setPadding(new Insets(0, 0, 0, 8));
            add(verdict, g.depths().size() + 1, r + 1);
        }
    }

    private static Label cell(Optional<Double> share, int row, int depth) {
        Label c = new Label(share.map(s -> Math.round(s * 100) + "%").orElse("–"));
        c.setId("recall-cell-" + row + "-" + depth);
        c.setMinSize(CELL_W, CELL_H);
        c.setPrefSize(CELL_W, CELL_H);
        c.setAlignment(Pos.CENTER);
        c.setTextFill(Color.BLACK);
        c.setBackground(new Background(new BackgroundFill(fill(share), null, null)));
        return c;
    }

    /** The cell's colour: the heat map PNG's, so the app and the CLI's picture read alike. */
    public static Color fill(Optional<Double> share) {
        java.awt.Color c = share.map(HeatMapPng::colour).orElse(HeatMapPng.NOT_CHECKED);
        return Color.rgb(c.getRed(), c.getGreen(), c.getBlue());
    }
}
