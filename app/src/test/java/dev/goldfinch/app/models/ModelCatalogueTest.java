package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped catalogue: every entry complete and consistent with itself. */
class ModelCatalogueTest {
    static final long GB = 1_000_000_000L;
    static final ModelCatalogue C = ModelCatalogue.load();

    @Test
    void everyEntryIsComplete() {
        assertTrue(C.models().size() >= 15);
        Set<String> ids = new HashSet<>();
        for (ModelCatalogue.Entry e : C.models()) {
            assertTrue(ids.add(e.id()), "unique id " + e.id());
            assertFalse(e.name().isBlank() || e.note().isBlank() || e.license().isBlank(), e.id());
            assertTrue(e.note().lines().count() == 1, "a one-line note: " + e.id());
            assertTrue(List.of("chat", "base").contains(e.kind()), e.id());
            assertTrue(List.of("goldfinch", "finch", "rwkv7").contains(e.architecture()), e.id());
            assertNotNull(e.family(), e.id());
            assertTrue(e.parameters() > 0 && e.context() > 0 && e.expectedBytes() > 0, e.id());
            assertTrue(e.memoryInt8() < e.memoryBf16(), e.id());
        }
        assertEquals(64, C.tokenizer().sha256().length());
        assertEquals(65536, C.tokenizer().tokens());
        assertEquals("rwkv7-g1", C.preferredFamily().id());
    }

    /** The rule: an exact size and a SHA-256 for every entry, or a listing rule that supplies them at download time. */
    @Test
    void everyEntryHasAnExactSizeAndHashOrARuleThatSuppliesThem() {
        for (ModelCatalogue.Entry e : C.models()) {
            boolean exact = e.downloadBytes() > 0 && e.sha256() != null && e.sha256().matches("[0-9a-f]{64}");
            assertTrue(exact || e.resolve() != null, e.id() + ": neither an exact size and SHA-256 nor a listing rule");
            assertTrue(e.hasKnownFile() || e.resolve() != null, e.id() + ": no file and no rule to find one");
            if (e.hasKnownFile()) {
                assertTrue(e.url().startsWith("https://huggingface.co/") && e.url().endsWith("/resolve/main/" + e.file()), e.id() + ": " + e.url());
            }
            if (e.resolve() != null) {
                assertTrue(e.resolve().repo().matches("[\\w.-]+/[\\w.-]+") && !e.resolve().patterns().isEmpty(), e.id());
                if (e.hasKnownFile()) {
                    assertTrue(e.url().startsWith("https://huggingface.co/" + e.resolve().repo() + "/resolve/main/"), e.id() + ": the rule's repository");
                    assertTrue(e.resolve().patterns().stream().anyMatch(p -> FileResolver.glob(p).matcher(e.file()).matches()),
                            e.id() + ": the rule finds the catalogue's own file");
                }
            }
        }
    }

    /** A bf16 checkpoint is two bytes a parameter plus a little: a size or a count that is off shows here. */
    @Test
    void sizesAndParameterCountsAgree() {
        for (ModelCatalogue.Entry e : C.models()) {
            double ratio = e.expectedBytes() / (2.0 * e.parameters());
            double tolerance = e.downloadBytes() > 0 && !e.parametersEstimated() ? 0.01 : 0.06;
            assertEquals(1.0, ratio, tolerance, e.id() + ": " + e.expectedBytes() + " bytes for " + e.parameters() + " parameters");
        }
    }

    /** The count matches the shape: about 12·L·D² for the blocks (13 for RWKV-6) plus the embedding and head. */
    @Test
    void parameterCountsMatchTheShapes() {
        int v = C.tokenizer().tokens();
        for (ModelCatalogue.Entry e : C.models()) {
            if (e.layers() == 0) {
                assertTrue(e.parametersEstimated(), e.id() + ": without a shape the count is an estimate");
                continue;
            }
            double perBlock = e.architecture().equals("finch") ? 13 : 12;
            double shape = perBlock * e.layers() * (double) e.width() * e.width() + 2.0 * v * e.width();
            assertEquals(1.0, e.parameters() / shape, 0.06, e.id() + ": " + e.parameters() + " for L" + e.layers() + " D" + e.width());
        }
    }

    @Test
    void rwkv7G1IsThereInEverySize() {
        List<ModelCatalogue.Entry> g1 = C.models().stream().filter(e -> "rwkv7-g1".equals(e.family())).toList();
        assertEquals(List.of("0.1b", "0.4b", "1.5b", "2.9b", "7.2b", "13.3b"),
                g1.stream().map(e -> e.file().split("-")[2]).toList());
        for (ModelCatalogue.Entry e : g1) {
            assertTrue(e.isChat() && e.architecture().equals("rwkv7") && e.license().equals("Apache-2.0"), e.id());
            assertEquals("BlinkDL/rwkv7-g1", e.resolve().repo(), "newer G1 files are found in the listing: " + e.id());
        }
        ModelCatalogue.Entry b15 = C.byId("rwkv7-g1-1b5").orElseThrow();
        assertEquals(3_055_444_605L, b15.downloadBytes());
        assertEquals(1_527_404_544L, b15.parameters());
        assertEquals(16384, b15.context());
        assertTrue(C.byId("rwkv7-g1-13b3").orElseThrow().parametersEstimated());
    }

    @Test
    void thePaperCheckpointsAreLookedUpInTheirFolders() {
        for (String id : List.of("goldfinch-l12-d768", "goldfinch-l24-d2048")) {
            ModelCatalogue.Entry e = C.byId(id).orElseThrow();
            assertFalse(e.hasKnownFile(), "no public record names the file: " + id);
            assertEquals("recursal/GoldFinch-paper", e.resolve().repo());
            assertTrue(e.resolve().folder().startsWith(id.equals("goldfinch-l12-d768") ? "L12-D768-" : "L24-D2048-"), e.resolve().folder());
        }
    }

    @Test
    void fitIsByMemory() {
        ModelCatalogue.Entry sevenB = C.byId("rwkv6-world-7b").orElseThrow();
        assertEquals(ModelCatalogue.Fit.INT8_ONLY, ModelCatalogue.fit(sevenB, 16 * GB));
        assertEquals(ModelCatalogue.Fit.TOO_BIG, ModelCatalogue.fit(sevenB, 8 * GB));
        assertEquals(ModelCatalogue.Fit.BF16, ModelCatalogue.fit(sevenB, 24 * GB));
    }

    @Test
    void worldAndG1CheckpointsAreKnownByName() {
        assertTrue(C.byFile(Path.of("/models/RWKV-x060-World-3B-v2.1-20240417-ctx4096.pth")).orElseThrow().isChat());
        assertEquals("rwkv7-g1-2b9", C.byFile(Path.of("rwkv7-g1j-2.9b-20260831-ctx16384.pth")).orElseThrow().id());
        assertTrue(C.byFile(Path.of("goldfinch.pth")).isEmpty(), "a generic name tells nothing");
        assertTrue(C.byFile(Path.of("rwkv-final.pth")).isEmpty(), "a generic name tells nothing");
    }
}
