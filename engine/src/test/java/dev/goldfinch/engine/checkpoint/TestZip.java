package dev.goldfinch.engine.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes test archives. The stored writer is hand-made so that tests control what java.util.zip would decide
 * itself: ZIP64 records and extra fields even for small entries, and entries whose data is a sparse hole
 * (bytes == null: only the size is written, so a 4+ GiB archive costs no disk).
 */
final class TestZip {

    record Entry(String name, long size, byte[] bytes) {
        static Entry of(String name, byte[] bytes) {
            return new Entry(name, bytes.length, bytes);
        }

        static Entry hole(String name, long size) {
            return new Entry(name, size, null);
        }
    }

    private TestZip() {}

    /** A stored archive; with zip64 every size and offset goes through the ZIP64 extra fields and end records. */
    static Path stored(Path file, boolean zip64, List<Entry> entries) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            List<Long> offsets = new ArrayList<>();
            List<Long> crcs = new ArrayList<>();
            for (Entry e : entries) {
                offsets.add(ch.position());
                long crc = crc(e);
                crcs.add(crc);
                byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                ByteBuffer h = le(30 + name.length + (zip64 ? 20 : 0));
                h.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) 0x800).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt((int) crc)
                        .putInt(zip64 ? -1 : (int) e.size()).putInt(zip64 ? -1 : (int) e.size())
                        .putShort((short) name.length).putShort((short) (zip64 ? 20 : 0)).put(name);
                if (zip64) h.putShort((short) 1).putShort((short) 16).putLong(e.size()).putLong(e.size());
                write(ch, h);
                if (e.bytes() != null) write(ch, ByteBuffer.wrap(e.bytes()).position(e.bytes().length));
                else ch.position(ch.position() + e.size()); // a hole: the file system stores nothing
            }
            long cdStart = ch.position();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                ByteBuffer c = le(46 + name.length + (zip64 ? 28 : 0));
                c.putInt(0x02014b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) (zip64 ? 45 : 20))
                        .putShort((short) 0x800).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                        .putInt((int) (long) crcs.get(i))
                        .putInt(zip64 ? -1 : (int) e.size()).putInt(zip64 ? -1 : (int) e.size())
                        .putShort((short) name.length).putShort((short) (zip64 ? 28 : 0)).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt(0)
                        .putInt(zip64 ? -1 : (int) (long) offsets.get(i)).put(name);
                if (zip64) c.putShort((short) 1).putShort((short) 24).putLong(e.size()).putLong(e.size()).putLong(offsets.get(i));
                write(ch, c);
            }
            long cdSize = ch.position() - cdStart;
            if (zip64) {
                long eocd64 = ch.position();
                ByteBuffer z = le(56 + 20);
                z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                        .putLong(entries.size()).putLong(entries.size()).putLong(cdSize).putLong(cdStart);
                z.putInt(0x07064b50).putInt(0).putLong(eocd64).putInt(1);
                write(ch, z);
            }
            ByteBuffer end = le(22);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) (zip64 ? 0xffff : entries.size())).putShort((short) (zip64 ? 0xffff : entries.size()))
                    .putInt(zip64 ? -1 : (int) cdSize).putInt(zip64 ? -1 : (int) cdStart).putShort((short) 0);
            write(ch, end);
        }
        return file;
    }

    /** An archive whose entries java.util.zip deflates. */
    static Path deflated(Path file, List<Entry> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Entry e : entries) {
                ZipEntry z = new ZipEntry(e.name());
                z.setMethod(ZipEntry.DEFLATED);
                zip.putNextEntry(z);
                zip.write(e.bytes());
                zip.closeEntry();
            }
        }
        return file;
    }

    /** The CRC is computed for real entries; holes get 0, which this reader (like torch's) never checks. */
    private static long crc(Entry e) {
        if (e.bytes() == null) return 0;
        CRC32 crc = new CRC32();
        crc.update(e.bytes());
        return crc.getValue();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes what was put into {@code b} (from 0 to its position). */
    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        b.flip();
        while (b.hasRemaining()) ch.write(b);
    }
}
