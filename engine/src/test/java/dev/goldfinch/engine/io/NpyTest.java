package dev.goldfinch.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A .npy header is a claim: the file's real size is checked before anything is allocated for it. */
class NpyTest {
    @TempDir
    Path dir;

    /** A version 1.0 .npy file: the header dictionary padded to 64 bytes, then {@code data}. */
    static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header).put(data);
        return b.array();
    }

    /** Bytes this thread allocated while running {@code body} (HotSpot's per-thread counter). */
    static long allocatedBy(Runnable body) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        body.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aTinyFileClaimingBillionsOfTokensFailsBeforeAllocatingThem() throws Exception {
        Path file = Files.write(dir.resolve("claims.npy"), npy("<i4", "2000000000,", new byte[] {1, 0, 0, 0}));
        assertTrue(Files.size(file) < 200, "a file of " + Files.size(file) + " bytes");
        EngineException[] thrown = new EngineException[1];
        long allocated = allocatedBy(() -> thrown[0] = assertThrows(EngineException.class, () -> Npy.readTokens(file)));
        assertEquals(file + ": truncated .npy data: the header claims 2000000000 tokens (8000000000 bytes), the file holds 4 bytes after it",
                thrown[0].getMessage());
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes before refusing");

        Path max = Files.write(dir.resolve("max.npy"), npy("<i8", "1, 2147483647", new byte[8]));
        long allocatedMax = allocatedBy(() -> assertTrue(assertThrows(EngineException.class, () -> Npy.readTokens(max)).getMessage()
                .contains("claims 2147483647 tokens (17179869176 bytes), the file holds 8 bytes")));
        assertTrue(allocatedMax < 1 << 20, "allocated " + allocatedMax + " bytes before refusing");

        Path floats = Files.write(dir.resolve("floats.npy"), npy("<f4", "65536, 65536", new byte[16]));
        assertTrue(assertThrows(EngineException.class, () -> Npy.readFloats(floats)).getMessage().contains("claims 4294967296 values"));
    }

    @Test
    void impossibleShapesAreRefusedInOneLine() throws Exception {
        Path overflow = Files.write(dir.resolve("overflow.npy"), npy("<f4", "4294967296, 4294967296, 4294967296", new byte[4]));
        assertEquals(overflow + ": impossible .npy shape [4294967296, 4294967296, 4294967296]",
                assertThrows(EngineException.class, () -> Npy.readFloats(overflow)).getMessage());
        Path negative = Files.write(dir.resolve("negative.npy"), npy("<i4", "-5,", new byte[4]));
        assertEquals(negative + ": impossible .npy shape [-5]", assertThrows(EngineException.class, () -> Npy.readTokens(negative)).getMessage());
        Path words = Files.write(dir.resolve("words.npy"), npy("<i4", "many,", new byte[4]));
        assertEquals(words + ": malformed .npy shape (many,)", assertThrows(EngineException.class, () -> Npy.readTokens(words)).getMessage());
    }

    @Test
    void honestFilesStillRead() throws Exception {
        ByteBuffer ids = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(5).putInt(0).putInt(65535);
        Path tokens = Files.write(dir.resolve("ok.npy"), npy("<i4", "3,", ids.array()));
        assertArrayEquals(new int[] {5, 0, 65535}, Npy.readTokens(tokens));
        Path empty = Files.write(dir.resolve("none.npy"), npy("<i8", "0,", new byte[0]));
        assertArrayEquals(new int[0], Npy.readTokens(empty));
        Path out = dir.resolve("floats.npy");
        Npy.writeFloats(out, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Npy.readFloats(out));
        assertArrayEquals(new long[] {2, 3}, Npy.readShape(out));
    }
}
