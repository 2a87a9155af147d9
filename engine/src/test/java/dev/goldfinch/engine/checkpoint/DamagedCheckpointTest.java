package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;

import static dev.goldfinch.engine.checkpoint.ReferenceCheckpointsTest.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Files that are not, or no longer, good checkpoints fail with one clear line; ZIP64 archives are read. */
class DamagedCheckpointTest {

    @TempDir
    Path dir;

    static String messageOf(Path file) {
        return assertThrows(EngineException.class, () -> Checkpoint.open(file)).getMessage();
    }

    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nowhere.pth");
        assertEquals("checkpoint " + file + ": no such file", messageOf(file));
    }

    @Test
    void directory() {
        assertEquals("checkpoint " + dir + ": is a directory, not a checkpoint file", messageOf(dir));
    }

    @Test
    void notAZip() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.pth"), "these are not weights\n".repeat(10));
        assertEquals("checkpoint " + text + ": not a ZIP archive (a .pth checkpoint is the ZIP file torch.save writes)",
                messageOf(text));
        Path empty = Files.write(dir.resolve("empty.pth"), new byte[0]);
        assertTrue(messageOf(empty).endsWith(": not a ZIP archive (a .pth checkpoint is the ZIP file torch.save writes)"));
        Path legacy = Files.write(dir.resolve("legacy.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c});
        assertTrue(messageOf(legacy).contains("legacy torch format before 1.6 is not supported"), messageOf(legacy));
    }

    @Test
    void truncatedDownload() throws IOException {
        byte[] whole = Files.readAllBytes(fixture("goldfinch-tiny.pth"));
        Path half = Files.write(dir.resolve("half.pth"), Arrays.copyOf(whole, whole.length / 2));
        assertEquals("checkpoint " + half + ": truncated or damaged ZIP archive "
                + "(its end record is missing; was the download interrupted?)", messageOf(half));
        // Cut just before the end record: the ZIP64 end record and central directory are gone too.
        Path tail = Files.write(dir.resolve("tail.pth"), Arrays.copyOf(whole, whole.length - 30));
        assertTrue(messageOf(tail).contains("truncated or damaged ZIP archive"), messageOf(tail));
    }

    @Test
    void damagedCentralDirectory() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("llama-tiny.pth"));
        // The EOCD (last 22 bytes) and ZIP64 records are intact; overwrite the first central-directory signature.
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = bytes.length - 22;
        long eocd64 = b.getLong(eocd - 20 + 8);
        int cdOffset = (int) b.getLong((int) eocd64 + 48);
        bytes[cdOffset] = 'X';
        Path file = Files.write(dir.resolve("cd.pth"), bytes);
        assertEquals("checkpoint " + file + ": truncated or damaged ZIP archive (central directory entry 0 is damaged)",
                messageOf(file));
    }

    @Test
    void compressedEntry() throws IOException {
        byte[] pkl = TorchPickle.stateDict(List.of(TorchPickle.Spec.contiguous("w", "FloatStorage", "0", 2)));
        Path file = TestZip.deflated(dir.resolve("deflated.pth"), List.of(
                TestZip.Entry.of("deflated/data.pkl", pkl), TestZip.Entry.of("deflated/data/0", f32(1, 2))));
        assertEquals("checkpoint " + file + ": entry 'deflated/data.pkl' is compressed (ZIP method 8); "
                + "checkpoint entries must be stored uncompressed, as torch.save writes them", messageOf(file));
    }

    @Test
    void noDataPkl() throws IOException {
        Path file = TestZip.stored(dir.resolve("nopkl.pth"), false, List.of(
                TestZip.Entry.of("archive/data/0", f32(1)), TestZip.Entry.of("archive/version", new byte[] {'3'})));
        assertEquals("checkpoint " + file + ": the archive has no <folder>/data.pkl (not a torch checkpoint)",
                messageOf(file));
    }

    @Test
    void missingStorageEntry() throws IOException {
        byte[] pkl;
        try (ZipFile zip = new ZipFile(fixture("goldfinch-tiny.pth").toFile())) {
            pkl = zip.getInputStream(zip.getEntry("goldfinch-tiny/data.pkl")).readAllBytes();
        }
        Path file = TestZip.stored(dir.resolve("nodata.pth"), false, List.of(TestZip.Entry.of("archive/data.pkl", pkl)));
        assertEquals("checkpoint " + file + ": tensor 'emb.weight' needs the entry 'archive/data/0', "
                + "which is missing from the archive", messageOf(file));
    }

    @Test
    void storageShorterThanDeclared() throws IOException {
        Path file = archive("short.pth", List.of(TorchPickle.Spec.contiguous("w", "FloatStorage", "0", 4)), f32(1, 2, 3));
        assertEquals("checkpoint " + file + ": storage 'archive/data/0' holds 12 bytes, fewer than data.pkl declares",
                messageOf(file));
    }

    @Test
    void tensorOutsideItsStorage() throws IOException {
        var spec = new TorchPickle.Spec("w", "FloatStorage", "0", 4, 2, new long[] {3}, new long[] {1});
        Path file = archive("outside.pth", List.of(spec), f32(1, 2, 3, 4));
        assertEquals("checkpoint " + file + ": tensor 'w' lies outside its storage (elements 2 to 5 of a storage of 4)",
                messageOf(file));

        var huge = new TorchPickle.Spec("w", "FloatStorage", "0", 4, 0, new long[] {1L << 40, 1L << 40}, new long[] {1L << 40, 1});
        Path overflow = archive("overflow.pth", List.of(huge), f32(1, 2, 3, 4));
        assertTrue(messageOf(overflow).endsWith("tensor 'w' has an impossible shape [1099511627776, 1099511627776]"),
                messageOf(overflow));
    }

    @Test
    void nonContiguousTensor() throws IOException {
        var transposed = new TorchPickle.Spec("w", "FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {1, 2});
        Path file = archive("transposed.pth", List.of(transposed), f32(1, 2, 3, 4, 5, 6));
        assertEquals("checkpoint " + file + ": tensor 'w' is not contiguous (shape [2, 3], stride [1, 2]); "
                + "re-save it with .contiguous()", messageOf(file));
    }

    @Test
    void truncatedPickle() throws IOException {
        byte[] pkl = TorchPickle.stateDict(List.of(TorchPickle.Spec.contiguous("w", "FloatStorage", "0", 2)));
        Path file = TestZip.stored(dir.resolve("cut.pth"), false, List.of(
                TestZip.Entry.of("archive/data.pkl", Arrays.copyOf(pkl, pkl.length / 2)),
                TestZip.Entry.of("archive/data/0", f32(1, 2))));
        assertTrue(messageOf(file).startsWith("checkpoint " + file + ": malformed pickle in data.pkl ("), messageOf(file));
    }

    @Test
    void readsZip64Records() throws IOException {
        var specs = List.of(TorchPickle.Spec.contiguous("w", "BFloat16Storage", "0", 2, 2));
        byte[] bf16 = {0, 0x3f, (byte) 0x80, 0x3f, 0, 0x40, 0x40, 0x40}; // 0.5 1.0 2.0 3.0
        Path file = TestZip.stored(dir.resolve("zip64.pth"), true, List.of(
                TestZip.Entry.of("zip64/data.pkl", TorchPickle.stateDict(specs)),
                TestZip.Entry.of("zip64/data/0", bf16)));
        try (Checkpoint ckpt = Checkpoint.open(file)) {
            Tensor w = ckpt.get("w");
            assertEquals(DType.BF16, w.dtype());
            assertArrayEquals(new float[] {0.5f, 1, 2, 3}, w.toFloats());
        }
    }

    /**
     * A 5 GiB archive (sparse: it costs no disk): a 4.5 GiB storage first, so the next entries and the central
     * directory lie beyond 4 GiB and beyond any int offset. Proves ZIP64 offsets and the mapping past 2 GB.
     */
    @Test
    void readsPastFourGigabytes() throws IOException {
        assumeTrue(dir.toFile().getUsableSpace() > (6L << 30), "needs room in case the file system is not sparse");
        long bigNumel = (9L << 30) / 2 / 4; // 4.5 GiB of float32
        var specs = List.of(
                new TorchPickle.Spec("big", "FloatStorage", "0", bigNumel, 0, new long[] {bigNumel}, new long[] {1}),
                TorchPickle.Spec.contiguous("far", "FloatStorage", "1", 3));
        Path file = TestZip.stored(dir.resolve("big.pth"), true, List.of(
                TestZip.Entry.hole("big/data/0", bigNumel * 4),
                TestZip.Entry.of("big/data/1", f32(7, 8, 9)),
                TestZip.Entry.of("big/data.pkl", TorchPickle.stateDict(specs))));
        try (Checkpoint ckpt = Checkpoint.open(file)) {
            Tensor big = ckpt.get("big");
            assertEquals(bigNumel, big.elements());
            assertEquals(0f, big.get(bigNumel - 1));
            assertArrayEquals(new float[] {7, 8, 9}, ckpt.get("far").toFloats());
            assertTrue(ckpt.fileSize() > (9L << 29));
            assertTrue(ckpt.identity().matches("[0-9a-f]{64}"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    Path archive(String name, List<TorchPickle.Spec> specs, byte[] storage0) throws IOException {
        return TestZip.stored(dir.resolve(name), false, List.of(
                TestZip.Entry.of("archive/data.pkl", TorchPickle.stateDict(specs)),
                TestZip.Entry.of("archive/data/0", storage0)));
    }
}
