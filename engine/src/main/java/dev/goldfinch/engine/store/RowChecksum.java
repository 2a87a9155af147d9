package dev.goldfinch.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The checksum a store row is written with and checked against on every read: CRC32C over the row's fields in a
 * fixed order, each tagged with its length (so no two rows of different fields give the same bytes), the row's own id
 * included (a row copied over another is caught too). SQLite checks its pages' structure, not what they hold: a
 * flipped bit inside a BLOB or an integer passes {@code PRAGMA integrity_check}; this does not.
 */
final class RowChecksum {
    private final CRC32C crc = new CRC32C();
    private final byte[] eight = new byte[8];

    static RowChecksum of() {
        return new RowChecksum();
    }

    RowChecksum add(long v) {
        for (int i = 0; i < 8; i++) eight[i] = (byte) (v >>> (8 * i));
        crc.update(eight, 0, 8);
        return this;
    }

    RowChecksum add(double v) {
        return add(Double.doubleToLongBits(v));
    }

    RowChecksum add(byte[] v) {
        add(v == null ? -1 : v.length);
        if (v != null) crc.update(v);
        return this;
    }

    RowChecksum add(String v) {
        return add(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }

    /** The checksum as SQLite stores it (a non-negative INTEGER). */
    long value() {
        return crc.getValue();
    }
}
