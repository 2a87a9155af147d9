package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelCatalogueTest {
    static final long GB = 1_000_000_000L;

    @Test
    void catalogueListsThePaperAndWorldModelsWithTheirCosts() {
        ModelCatalogue c = ModelCatalogue.load();
        assertTrue(c.models().size() >= 5);
        for (ModelCatalogue.Entry e : c.models()) {
            assertTrue(e.downloadBytes() > 0 && e.parameters() > 0, e.id());
            assertTrue(e.memoryInt8() < e.memoryBf16(), e.id());
            assertTrue(e.url().startsWith("https://"), e.id());
            assertFalse(e.note().isBlank(), e.id());
        }
        assertEquals(64, c.tokenizer().sha256().length());
    }

    @Test
    void recommendsWhatFitsTheMachine() {
        ModelCatalogue c = ModelCatalogue.load();
        assertEquals("rwkv6-world-7b", c.recommend(24 * GB).id());
        assertEquals("rwkv6-world-1b6", c.recommend(8 * GB).id());
        ModelCatalogue.Entry sevenB = c.models().stream().filter(e -> e.id().equals("rwkv6-world-7b")).findFirst().orElseThrow();
        assertEquals(ModelCatalogue.Fit.INT8_ONLY, ModelCatalogue.fit(sevenB, 16 * GB));
        assertEquals(ModelCatalogue.Fit.TOO_BIG, ModelCatalogue.fit(sevenB, 8 * GB));
    }

    @Test
    void worldCheckpointsAreKnownByName() {
        ModelCatalogue c = ModelCatalogue.load();
        assertTrue(c.byFile(Path.of("/models/RWKV-x060-World-3B-v2.1-20240417-ctx4096.pth")).orElseThrow().isChat());
        assertTrue(c.byFile(Path.of("goldfinch.pth")).isEmpty(), "a generic name tells nothing");
    }
}
