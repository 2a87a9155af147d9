package dev.goldfinch.app.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.model.CostModel;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time a reading is said to take before it starts: at the pace of this model's latest reading, attention included. */
class ReadingEstimateTest {
    /** A hybrid: 2 GFLOP per token of pre-fill, two attention layers 256 wide (their cost grows with the position). */
    private static final CostModel HYBRID = new CostModel(1 << 20, 3_000_000_000L, 2_000_000_000L, 20_000_000L, 2, 256);

    private static CacheInfo reading(long modelId, int positions, double seconds, long updatedAt) {
        return new CacheInfo(1, 1, modelId, "identity", "hash", CachePrecision.F16, 16, positions, positions, true, seconds, 0, 0, null, updatedAt);
    }

    @Test
    void theLatestReadingOfThisModelSetsThePaceAndIsReproduced() {
        List<CacheInfo> caches = List.of(reading(7, 20_000, 400, 1), reading(7, 30_000, 900, 5), reading(8, 30_000, 10, 9), reading(7, 100, 0.001, 10));
        ReadingEstimate e = ReadingEstimate.of(HYBRID, 7, caches);
        assertTrue(e.measured());
        // the latest of model 7 long enough to say something: 30,000 tokens in 900 s (not model 8's, not the 100-token one)
        assertEquals(900, e.seconds(0, 30_000), 1e-6);
        // attention makes a later stretch dearer than an earlier one of the same length
        assertTrue(e.seconds(20_000, 30_000) > e.seconds(0, 10_000));
        assertEquals(e.seconds(0, 30_000), e.seconds(0, 10_000) + e.seconds(10_000, 30_000), 1e-6);
        assertEquals(0, e.seconds(5, 5));
        assertEquals("about 15 min on this machine", e.describe(0, 30_000));
        assertEquals("under 1 min on this machine", e.describe(0, 100));
    }

    @Test
    void withoutAnEarlierReadingItIsTheMachinesProbedSpeed() {
        ReadingEstimate e = ReadingEstimate.of(HYBRID, 7, List.of(reading(8, 30_000, 900, 1)));
        assertFalse(e.measured());
        assertTrue(e.flopsPerSecond() > 1e8, "a real machine's speed: " + e.flopsPerSecond());
    }
}
