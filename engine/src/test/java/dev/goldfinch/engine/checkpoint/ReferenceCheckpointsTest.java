package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real torch-written fixtures in ../shared/fixtures/reference. */
class ReferenceCheckpointsTest {

    static Path fixture(String name) {
        String shared = System.getProperty("goldfinch.shared");
        if (shared == null) throw new IllegalStateException("system property goldfinch.shared is not set");
        return Path.of(shared, "fixtures", "reference", name);
    }

    /**
     * Expected values were computed in python3 independently of this reader: zipfile opened the archive, a
     * pickle.Unpickler with find_class/persistent_load stubs listed the tensors, and numpy read each tensor's
     * bytes from its data/<key> entry (bf16 widened by a 16-bit shift). layout = SHA-256 of the lines
     * "name dtype d0,d1,...\n" in state_dict order; data = SHA-256 of every tensor's bytes in that order.
     */
    @ParameterizedTest
    @CsvSource({
            "finch-tiny, 118, F32, 1221120, ae7cf74e54b97f9bd8524ad1026986a7287cbd0f25fe4bca9be82bf553c582f8, 1a212f2d2f4b248bb88215d07dded0e6a33fce107d87dfa93b8854d8e0b2dfba",
            "finch-wide-lora-tiny, 90, F32, 2160384, 32be2c6ef31f084caaffd269d03011f508dafa8b1f120e70a5823612863f5c4f, 3a1d7bdcf4a3ac637f435b1d499abf8a253f2fbed9705595b3ae159d15a4d74d",
            "finchc2-tiny, 122, F32, 1221120, 7573bb76ce003aae14b3e11f7b52983ba8ed54bcd5075551a306e28da787dc28, 1cc6aad065b35dfd2586a310292b709e11dfef001daeb5c19875bbf0c07351e7",
            "goldfinch-rope-tiny, 188, F32, 1686784, a7eb5e11303485550180c6a88b0cbb7d6f1124245fabd9531aaa11e220faaa9d, d4f9a0cf4c51ba0166e0ab563d9788b2a7f141355ac5969941de5a3b948d4a8f",
            "goldfinch-tiny-bf16, 188, BF16, 1686784, d2c36bf80e0a28b7dfb0dc8b56c698c357db6ceaae28c119d7bcc7283ecc48db, 579b94ec0a36bb291c3a59c1b248c169cf14ec2a233f80c2b254fbc9e93d50ce",
            "goldfinch-tiny, 188, F32, 1686784, a7eb5e11303485550180c6a88b0cbb7d6f1124245fabd9531aaa11e220faaa9d, addada0caeb21b167f30b74c2023378b0b157c75edfe09f82e7d402d88869180",
            "goldfinch-upgrade-tiny, 180, F32, 1735552, d7e233fd35018775e28e1be4d31c5e59223e8c8835d3da1848c16e5f20b19597, 08c1deffaf1365c0ab97d77126786f0d6c82977fdad9af12a88b70ade98a6b6e",
            "llama-tiny, 50, F32, 887296, 91cf84d7166e95069a9f25be1b7fecdb27ccd9bba9a4e72135f06f1c25961e28, b43368a4e832d4e1e966e2066b95db295a449015efb1aca13c369c3b19e35fae",
    })
    void readsEveryReferenceCheckpoint(String name, int count, DType dtype, long elements, String layout, String data)
            throws Exception {
        Path file = fixture(name + ".pth");
        try (Checkpoint ckpt = Checkpoint.open(file)) {
            assertEquals(count, ckpt.tensors().size());
            assertEquals(file, ckpt.path());
            assertEquals(Files.size(file), ckpt.fileSize());
            MessageDigest layoutSha = MessageDigest.getInstance("SHA-256");
            MessageDigest dataSha = MessageDigest.getInstance("SHA-256");
            long total = 0;
            for (Tensor t : ckpt.tensors().values()) {
                assertEquals(dtype, t.dtype(), t.name());
                String dims = Arrays.stream(t.shape()).mapToObj(Long::toString).collect(Collectors.joining(","));
                layoutSha.update((t.name() + " " + t.dtype() + " " + dims + "\n").getBytes(StandardCharsets.UTF_8));
                dataSha.update(t.data().asByteBuffer());
                total += t.elements();
                assertTrue(t.data().isMapped() && t.data().isReadOnly(), "a read-only view of the mapped file");
            }
            assertEquals(elements, total);
            assertEquals(layout, HexFormat.of().formatHex(layoutSha.digest()));
            assertEquals(data, HexFormat.of().formatHex(dataSha.digest()));
        }
    }

    /** Values from python3 + numpy as described above, compared bit for bit. */
    @Test
    void goldfinchTinyValues() {
        try (Checkpoint ckpt = Checkpoint.open(fixture("goldfinch-tiny.pth"))) {
            Tensor emb = ckpt.get("emb.weight");
            assertEquals(DType.F32, emb.dtype());
            assertArrayEquals(new long[] {512, 128}, emb.shape());
            assertBits(0xbf02c3a1, emb.get(0));            // -0.51079756
            assertBits(0x3f839e69, emb.get(1));            // 1.0282718
            assertBits(0x3eeca121, emb.get(300 * 128 + 77)); // 0.4621668
            assertBits(0xbf51fd7c, emb.get(511 * 128 + 127)); // -0.8202741
            Tensor ln1 = ckpt.get("blocks.0.ln1.weight");
            assertArrayEquals(new long[] {128}, ln1.shape());
            assertBits(0x3f9108a0, ln1.get(0));            // 1.1330757
            assertBits(0x3f93399d, ln1.get(127));          // 1.1501957
            Tensor last = ckpt.get("w_kv_cache_b.weight");
            assertArrayEquals(new long[] {128, 136}, last.shape());
            assertBits(0xbd3bc5a5, last.get(128 * 136 - 1)); // -0.045842785
            assertEquals("w_kv_cache_b.weight", List.copyOf(ckpt.tensors().keySet()).getLast());
        }
    }

    @Test
    void goldfinchTinyBf16Values() {
        try (Checkpoint ckpt = Checkpoint.open(fixture("goldfinch-tiny-bf16.pth"))) {
            Tensor emb = ckpt.get("emb.weight");
            assertEquals(DType.BF16, emb.dtype());
            assertArrayEquals(new long[] {512, 128}, emb.shape());
            assertEquals(512L * 128 * 2, emb.data().byteSize());
            assertBits(0xbe070000, emb.get(0));            // -0.13183594
            assertBits(0xbe000000, emb.get(1));            // -0.125
            assertBits(0x3d9e0000, emb.get(300 * 128 + 77)); // 0.07714844
            assertBits(0xbc310000, emb.get(511 * 128 + 127)); // -0.010803223
            assertBits(0xbe160000, ckpt.get("w_kv_cache_b.weight").get(128 * 136 - 1)); // -0.14648438
        }
    }

    @Test
    void otherFixtureValues() {
        try (Checkpoint llama = Checkpoint.open(fixture("llama-tiny.pth"));
             Checkpoint wide = Checkpoint.open(fixture("finch-wide-lora-tiny.pth"))) {
            assertBits(0xbe6efa42, llama.get("head.weight").get(0));           // -0.23337653
            assertBits(0x3c7a4e86, llama.get("head.weight").get(512 * 128 - 1)); // 0.01527751
            // finch-wide-lora-tiny was written by Python's zipfile: no 64-byte alignment, no ZIP64 records.
            Tensor emb = wide.get("emb.weight");
            assertArrayEquals(new long[] {512, 192}, emb.shape());
            assertBits(0xbeb3cea5, emb.get(0));                                // -0.35118595
            assertBits(0xbf941643, emb.get(512 * 192 - 1));                    // -1.1569294
        }
    }

    /** Every .pth in the fixture folder opens, including ones added after this test was written. */
    @Test
    void everyFixtureFileOpensAndHasADistinctIdentity() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(fixture(""))) {
            files = s.filter(p -> p.toString().endsWith(".pth")).sorted().toList();
        }
        assertTrue(files.size() >= 8, "fixtures present: " + files);
        Set<String> identities = new HashSet<>();
        for (Path f : files) {
            try (Checkpoint ckpt = Checkpoint.open(f)) {
                assertFalse(ckpt.tensors().isEmpty(), f.toString());
                assertTrue(ckpt.identity().matches("[0-9a-f]{64}"));
                assertTrue(identities.add(ckpt.identity()), "identity collides: " + f);
            }
        }
    }

    @Test
    void identityIsStableAcrossOpens() {
        Path f = fixture("goldfinch-tiny.pth");
        String first;
        try (Checkpoint a = Checkpoint.open(f)) {
            first = a.identity();
            assertEquals(first, a.identity());
        }
        try (Checkpoint b = Checkpoint.open(f)) {
            assertEquals(first, b.identity());
        }
    }

    @Test
    void missingTensorIsAOneLineError() {
        try (Checkpoint ckpt = Checkpoint.open(fixture("goldfinch-tiny.pth"))) {
            assertTrue(ckpt.find("no.such.weight").isEmpty());
            assertTrue(ckpt.find("emb.weight").isPresent());
            EngineException e = assertThrows(EngineException.class, () -> ckpt.get("no.such.weight"));
            assertEquals("checkpoint " + fixture("goldfinch-tiny.pth") + ": missing tensor 'no.such.weight'", e.getMessage());
        }
    }

    @Test
    void closeUnmaps() {
        Checkpoint ckpt = Checkpoint.open(fixture("llama-tiny.pth"));
        MemorySegment data = ckpt.get("emb.weight").data();
        ckpt.close();
        ckpt.close(); // idempotent
        assertFalse(data.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> ckpt.get("emb.weight").get(0));
        assertThrows(IllegalStateException.class, ckpt::identity);
    }

    static void assertBits(int expectedBits, float actual) {
        assertEquals(Integer.toHexString(expectedBits), Integer.toHexString(Float.floatToRawIntBits(actual)),
                () -> "expected " + Float.intBitsToFloat(expectedBits) + " but was " + actual);
    }
}
