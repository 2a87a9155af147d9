package dev.goldfinch.app.library;

import dev.goldfinch.app.models.MachineSpeed;
import dev.goldfinch.app.models.ReadingTime;
import dev.goldfinch.engine.model.CostModel;
import dev.goldfinch.engine.store.CacheInfo;
import java.util.Comparator;
import java.util.List;

/**
 * How long a reading will take with this model on this machine, said before it starts. The pace is the FLOP rate
 * this model's latest reading in the store ran at (the machine's own figure with this model, attention included),
 * or, before its first reading, a short probe of the machine's multiply-add peak ({@link MachineSpeed}); the work is
 * the model's pre-fill FLOPs per token ({@link CostModel}) plus its attention's, which grow with the position.
 *
 * @param flopsPerSecond the pace
 * @param measured       whether the pace comes from an earlier reading with this model
 */
public record ReadingEstimate(CostModel cost, double flopsPerSecond, boolean measured) {

    /** A reading shorter than this says little about the pace: start-up and the first chunk's compilation dominate it. */
    static final int MIN_MEASURED_TOKENS = 512;

    public ReadingEstimate {
        if (!(flopsPerSecond > 0)) throw new IllegalArgumentException("not a FLOP rate: " + flopsPerSecond);
    }

    /** The pace of {@code modelId}'s latest reading among {@code caches}, else the machine's probed speed. */
    static ReadingEstimate of(CostModel cost, long modelId, List<CacheInfo> caches) {
        return caches.stream()
                .filter(c -> c.modelId() == modelId && c.positions() >= MIN_MEASURED_TOKENS && c.seconds() > 0)
                .max(Comparator.comparingLong(CacheInfo::updatedAt))
                .map(c -> new ReadingEstimate(cost, flops(cost, 0, c.positions()) / c.seconds(), true))
                .orElseGet(() -> new ReadingEstimate(cost, MachineSpeed.prefillFlops(), false));
    }

    private static double flops(CostModel cost, int from, int to) {
        return (double) cost.prefillFlopsPerToken() * (to - from) + cost.attentionFlops(to) - cost.attentionFlops(from);
    }

    /** Seconds to read positions {@code from} to {@code to}. */
    public double seconds(int from, int to) {
        return to <= from ? 0 : flops(cost, from, to) / flopsPerSecond;
    }

    /** "about 12 min on this machine" for the positions {@code from} to {@code to}: an estimate, said as one. */
    public String describe(int from, int to) {
        return ReadingTime.describe(seconds(from, to)) + " on this machine";
    }
}
