package dev.goldfinch.app.recall;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.goldfinch.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A recall check's results: for each document length and depth checked so far, the facts asked and recalled, with
 * the question, the code expected and the answer given (so a score can be checked by reading it). Kept in the store
 * as JSON, rewritten after each cell; cells not scored yet are absent.
 *
 * @param model    the checkpoint's name (its file name, as the models folder shows it)
 * @param date     when the check started (epoch milliseconds)
 * @param finished every cell was scored
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecallGrid(String model, long date, List<Integer> lengths, List<Double> depths, int facts, long seed, boolean finished, List<Cell> cells) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One document's result: its length (nominal) and depth (index into {@link #depths()}), the tokens it had, and
     * the facts asked of it and recalled.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cell(int length, int depth, int tokens, int asked, int recalled, String question, String expected, String answer) {
    }

    /** A length's cells so far: how many were scored, facts asked and recalled. */
    public record Tally(int scored, int asked, int recalled) {
    }

    public RecallGrid {
        lengths = List.copyOf(lengths);
        depths = List.copyOf(depths);
        cells = List.copyOf(cells);
    }

    /** An empty grid for {@code plan}. */
    public static RecallGrid start(String model, long date, RecallPlan plan) {
        return new RecallGrid(model, date, plan.lengths(), plan.depthShares(), plan.facts(), plan.seed(), false, List.of());
    }

    public RecallGrid with(Cell cell) {
        List<Cell> out = new ArrayList<>(cells);
        out.removeIf(c -> c.length() == cell.length() && c.depth() == cell.depth());
        out.add(cell);
        return new RecallGrid(model, date, lengths, depths, facts, seed, finished, out);
    }

    public RecallGrid finish() {
        return new RecallGrid(model, date, lengths, depths, facts, seed, true, cells);
    }

    public Optional<Cell> cell(int length, int depth) {
        return cells.stream().filter(c -> c.length() == length && c.depth() == depth).findFirst();
    }

    /** The share of facts recalled in a cell, or empty while it is not scored. */
    public Optional<Double> share(int length, int depth) {
        return cell(length, depth).filter(c -> c.asked() > 0).map(c -> (double) c.recalled() / c.asked());
    }

    public Tally tally(int length) {
        int scored = 0, asked = 0, recalled = 0;
        for (Cell c : cells) {
            if (c.length() != length) continue;
            scored++;
            asked += c.asked();
            recalled += c.recalled();
        }
        return new Tally(scored, asked, recalled);
    }

    @JsonIgnore
    public int scoredCells() {
        return cells.size();
    }

    @JsonIgnore
    public int totalCells() {
        return lengths.size() * depths.size();
    }

    /** "30%" for the depth at index {@code i}. */
    public String depthLabel(int i) {
        return Math.round(depths.get(i) * 100) + "%";
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The grid a store row holds; a row that does not read as one is said to be damaged. */
    public static RecallGrid fromJson(String json) {
        try {
            return MAPPER.readValue(json, RecallGrid.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new EngineException("the stored recall check cannot be read (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }
}
