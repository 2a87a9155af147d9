package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The recommendation by memory and speed, with the machine's memory and FLOP rate given, and the reading estimate. */
class ModelCatalogueRecommendationTest {
    static final long GB = 1_000_000_000L;
    static final double GFLOPS = 1e9;
    static final ModelCatalogue C = ModelCatalogue.load();

    private static Recommendation on(long memory, double flops) {
        Recommendation r = C.recommend(memory, ReadingTime.of(C, flops));
        assertEquals(1, r.reason().lines().count(), "one sentence: " + r.reason());
        assertTrue(r.reason().startsWith(r.entry().name() + " is "), r.reason());
        return r;
    }

    @Test
    void preFillCostsTwoFlopsPerWeightLeavingOutTheEmbeddingAndTheHead() {
        ReadingTime fast = ReadingTime.of(C, 320 * GFLOPS);
        ModelCatalogue.Entry b15 = C.byId("rwkv7-g1-1b5").orElseThrow();
        assertEquals(2.0 * (1_527_404_544L - 2L * 65536 * 2048), fast.flopsPerToken(b15));
        assertEquals(2.0 * 13_300_000_000L, fast.flopsPerToken(C.byId("rwkv7-g1-13b3").orElseThrow()), "no shape: every weight counts");
        assertEquals(2.0 * (1_258_969_088L) * 50_000 / 320e9, fast.documentSeconds(b15), 1e-9);
        assertEquals("about 7 min", ReadingTime.describe(fast.documentSeconds(b15)));
        assertEquals("about 37 min", ReadingTime.describe(ReadingTime.of(C, 56 * GFLOPS).documentSeconds(b15)));
        assertEquals("under 1 min", ReadingTime.describe(59));
        assertEquals("about 2 h", ReadingTime.describe(7200));
        assertEquals("about 2 h 10 min", ReadingTime.describe(7800));
        assertThrows(IllegalArgumentException.class, () -> new ReadingTime(0, 65536));
    }

    @Test
    void aFastLaptopWithSixteenGigabytesGetsG1TwoPointNine() {
        // AVX-512, 2 cores: 7.2B would take about 35 minutes for 100 pages, and fits only as int8
        Recommendation r = on(16 * GB, 320 * GFLOPS);
        assertEquals("rwkv7-g1-2b9", r.id());
        assertEquals("RWKV-7 G1 2.9B is recommended: the largest RWKV-7 G1 model that fits this machine's 16.0 GB of memory and reads"
                + " a 100-page document (50k tokens) within 30 minutes (about 14 min here).", r.reason());
    }

    @Test
    void aSlowerMachineGetsASmallerModelThoughALargerOneFits() {
        // AVX2, 2 cores: 1.5B fits easily but would take about 37 minutes for 100 pages
        assertEquals("rwkv7-g1-0b4", on(16 * GB, 56 * GFLOPS).id());
    }

    @Test
    void aWorkstationGetsTheLargestG1() {
        assertEquals("rwkv7-g1-13b3", on(64 * GB, 2000 * GFLOPS).id());
    }

    @Test
    void memoryStillDecidesFirstPreferringBf16() {
        assertEquals("rwkv7-g1-1b5", on(8 * GB, 320 * GFLOPS).id(), "2.9B fits only as int8, 1.5B in bf16");
        assertEquals("rwkv7-g1-0b4", on(4 * GB, 320 * GFLOPS).id());
        Recommendation int8 = on(2_400_000_000L, 320 * GFLOPS);
        assertEquals("rwkv7-g1-0b1", int8.id());
        assertTrue(int8.reason().contains("fits this machine's 2.4 GB of memory as int8"), int8.reason());
    }

    @Test
    void whenNothingIsFastEnoughTheQuickestIsSuggested() {
        Recommendation r = on(16 * GB, 2 * GFLOPS);
        assertEquals("rwkv7-g1-0b1", r.id(), "the quickest, G1 before World of the same shape");
        assertTrue(r.reason().contains("no chat model that fits reads a 100-page document within 30 minutes on this machine; it is the quickest (about 1 h 14 min)"),
                r.reason());
    }

    @Test
    void whenNothingFitsTheSmallestIsSuggested() {
        Recommendation r = on(1 * GB, 320 * GFLOPS);
        assertEquals("goldfinch-l12-d768", r.id());
        assertTrue(r.reason().contains("no chat model fits this machine's 1.0 GB of memory"), r.reason());
    }

    @Test
    void withoutAFittingG1TheLargestOtherChatModelIsTaken() {
        var big = Entries.known("g1-big", "G1 big", "chat", "g1.pth", "https://example.org/g1.pth", 30 * GB, null);
        var g1 = new ModelCatalogue.Entry(big.id(), big.name(), "rwkv7-g1", "chat", "rwkv7", big.file(), big.url(), big.downloadBytes(), 0, null,
                15 * GB, false, 0, 0, 4096, "Apache-2.0", "too big", null);
        var world = Entries.known("world", "World small", "chat", "w.pth", "https://example.org/w.pth", 2 * GB, null);
        var base = Entries.known("base", "Base small", "base", "b.pth", "https://example.org/b.pth", 3 * GB, null);
        var c = new ModelCatalogue(C.tokenizer(), new ModelCatalogue.Family("rwkv7-g1", "RWKV-7 G1"), List.of(g1, world, base));

        Recommendation r = c.recommend(16 * GB, ReadingTime.of(c, 320 * GFLOPS));

        assertEquals("world", r.id());
        assertTrue(r.reason().startsWith("World small is recommended: no RWKV-7 G1 model does both here; it is the largest chat model that fits"),
                r.reason());
    }
}
