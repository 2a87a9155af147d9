package dev.goldfinch.app.recall;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A recall grid drawn as a heat map (Java2D): one row per document length (shortest at the top), one column per
 * depth, each cell coloured by the share of facts recalled on a red–yellow–green scale (grey: not checked) with the
 * share written in it; the axes and their labels, the colour scale, the verdict per length beside its row, and the
 * model's name and the check's date in the title.
 */
public final class HeatMapPng {
    static final int CELL_W = 56, CELL_H = 34, LEFT = 90, TOP = 104, RIGHT = 330, BOTTOM = 74, SCALE_W = 18, MIN_WIDTH = 640;
    public static final Color NOT_CHECKED = new Color(0xC8C8C8);

    private HeatMapPng() {
    }

    public static int width(RecallGrid grid) {
        return Math.max(MIN_WIDTH, LEFT + grid.depths().size() * CELL_W + RIGHT);
    }

    public static int height(RecallGrid grid) {
        return TOP + Math.max(grid.lengths().size() * CELL_H, 120) + BOTTOM;
    }

    /** The colour of a share recalled: red at 0, yellow at ½, green at 1. */
    public static Color colour(double share) {
        double s = Math.max(0, Math.min(1, share));
        Color red = new Color(0xD7301F), yellow = new Color(0xFEE08B), green = new Color(0x1A9850);
        return s < 0.5 ? mix(red, yellow, s * 2) : mix(yellow, green, (s - 0.5) * 2);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t), (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    /** A point inside a cell clear of its label and border, for whoever checks the picture. */
    public static int cellX(int depth) {
        return LEFT + depth * CELL_W + 4;
    }

    public static int cellY(int lengthIndex) {
        return TOP + lengthIndex * CELL_H + 4;
    }

    public static BufferedImage draw(RecallGrid grid) {
        int w = width(grid), h = height(grid), cols = grid.depths().size(), rows = grid.lengths().size();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString("Recall check: " + grid.model() + " (" + RecallHistory.date(grid.date()) + ")", 12, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(RecallVerdict.overall(grid) + (grid.finished() ? "" : "  [cut short: " + grid.scoredCells() + " of " + grid.totalCells() + " cells]"), 12, 42);
            g.drawString(grid.facts() == 1 ? "one fact planted per document" : grid.facts() + " facts planted per document, one asked", 12, 58);
            // cells
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics fm = g.getFontMetrics();
            for (int r = 0; r < rows; r++) {
                int length = grid.lengths().get(r);
                for (int c = 0; c < cols; c++) {
                    int x = LEFT + c * CELL_W, y = TOP + r * CELL_H;
                    var share = grid.share(length, c);
                    g.setColor(share.map(HeatMapPng::colour).orElse(NOT_CHECKED));
                    g.fillRect(x, y, CELL_W, CELL_H);
                    g.setColor(Color.WHITE);
                    g.drawRect(x, y, CELL_W, CELL_H);
                    String label = share.map(s -> Math.round(s * 100) + "%").orElse("–");
                    g.setColor(Color.BLACK);
                    g.drawString(label, x + (CELL_W - fm.stringWidth(label)) / 2, y + CELL_H / 2 + fm.getAscent() / 2 - 1);
                }
                String rowLabel = RecallPlan.label(length);
                g.drawString(rowLabel, LEFT - 8 - fm.stringWidth(rowLabel), TOP + r * CELL_H + CELL_H / 2 + fm.getAscent() / 2 - 1);
                g.drawString(RecallVerdict.of(grid, length), LEFT + cols * CELL_W + 12, TOP + r * CELL_H + CELL_H / 2 + fm.getAscent() / 2 - 1);
            }
            for (int c = 0; c < cols; c++) {
                String l = grid.depthLabel(c);
                g.drawString(l, LEFT + c * CELL_W + (CELL_W - fm.stringWidth(l)) / 2, TOP + rows * CELL_H + 16);
            }
            // axes
            g.setStroke(new BasicStroke(1.2f));
            g.drawLine(LEFT - 2, TOP, LEFT - 2, TOP + rows * CELL_H + 2);
            g.drawLine(LEFT - 2, TOP + rows * CELL_H + 2, LEFT + cols * CELL_W, TOP + rows * CELL_H + 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("depth of the fact (share of the document before it)", LEFT, TOP + rows * CELL_H + 40);
            g.drawString("document length (tokens)", 12, TOP - 12);
            // colour scale
            int sx = w - 60, sy = TOP, sh = Math.max(rows * CELL_H, 120);
            for (int i = 0; i < sh; i++) {
                g.setColor(colour(1 - (double) i / (sh - 1)));
                g.drawLine(sx, sy + i, sx + SCALE_W, sy + i);
            }
            g.setColor(Color.BLACK);
            g.drawRect(sx, sy, SCALE_W, sh);
            g.drawString("100%", sx + SCALE_W + 4, sy + 10);
            g.drawString("50%", sx + SCALE_W + 4, sy + sh / 2 + 4);
            g.drawString("0%", sx + SCALE_W + 4, sy + sh);
            g.drawString("recalled", sx - 8, sy - 8);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes the heat map as a PNG (to a temporary file beside it, then moved into place). */
    public static void write(RecallGrid grid, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), ".heatmap", ".png.part");
        try {
            if (!ImageIO.write(draw(grid), "png", tmp.toFile())) throw new IOException("no PNG writer");
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
