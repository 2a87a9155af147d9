package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes rows of cc_t (and token ids) into the BLOBs of one cache chunk, little-endian.
 * A chunk whose values do not fit float16 (|x| > 65504) is written as F32 instead: exactness beats size.
 */
final class RowCodec {
    private RowCodec() {
    }

    static byte[] encodeTokens(int[] tokens, int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) b.putInt(tokens[from + i]);
        return b.array();
    }

    static int[] decodeTokens(byte[] blob, int count, String where) {
        if (blob == null || blob.length != count * 4) throw truncated(where, "token ids", blob, count * 4);
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) out[i] = b.getInt();
        return out;
    }

    /** The precision actually used for these rows: F16 falls back to F32 when a value overflows float16. */
    static CachePrecision effective(CachePrecision wanted, float[] rows, int from, int count) {
        if (wanted != CachePrecision.F16) return wanted;
        for (int i = from; i < from + count; i++) {
            if (!(Math.abs(rows[i]) <= 65504f)) return CachePrecision.F32;
        }
        return wanted;
    }

    /** rows [count, width] starting at element offset `from`. */
    static byte[] encode(CachePrecision p, float[] rows, int from, int count, int width) {
        int n = count * width;
        switch (p) {
            case F32 -> {
                ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) b.putFloat(rows[from + i]);
                return b.array();
            }
            case F16 -> {
                ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) b.putShort(Float.floatToFloat16(rows[from + i]));
                return b.array();
            }
            case Q8 -> {
                // Per row: a float16 scale (max |x| / 127), then width signed bytes.
                ByteBuffer b = ByteBuffer.allocate(count * (2 + width)).order(ByteOrder.LITTLE_ENDIAN);
                for (int r = 0; r < count; r++) {
                    int off = from + r * width;
                    float max = 0;
                    for (int i = 0; i < width; i++) max = Math.max(max, Math.abs(rows[off + i]));
                    short scaleBits = Float.floatToFloat16(max / 127f);
                    float scale = Float.float16ToFloat(scaleBits);
                    b.putShort(scaleBits);
                    for (int i = 0; i < width; i++) {
                        int q = scale == 0 ? 0 : Math.round(rows[off + i] / scale);
                        b.put((byte) Math.max(-127, Math.min(127, q)));
                    }
                }
                return b.array();
            }
        }
        throw new IllegalArgumentException(p.name());
    }

    static int encodedSize(CachePrecision p, int count, int width) {
        return switch (p) {
            case F32 -> count * width * 4;
            case F16 -> count * width * 2;
            case Q8 -> count * (2 + width);
        };
    }

    static void decode(CachePrecision p, byte[] blob, int count, int width, float[] out, int outFrom, String where) {
        int want = encodedSize(p, count, width);
        if (blob == null || blob.length != want) throw truncated(where, "cache rows", blob, want);
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int n = count * width;
        switch (p) {
            case F32 -> {
                for (int i = 0; i < n; i++) out[outFrom + i] = b.getFloat();
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[outFrom + i] = Float.float16ToFloat(b.getShort());
            }
            case Q8 -> {
                for (int r = 0; r < count; r++) {
                    float scale = Float.float16ToFloat(b.getShort());
                    for (int i = 0; i < width; i++) out[outFrom + r * width + i] = b.get() * scale;
                }
            }
        }
    }

    static byte[] encodeFloats(float[] v) {
        if (v == null) return null;
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static float[] decodeFloats(byte[] blob, int expected, String where) {
        if (blob == null) return null;
        if (blob.length != expected * 4) throw truncated(where, "state", blob, expected * 4);
        float[] out = new float[expected];
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static EngineException truncated(String where, String what, byte[] blob, int want) {
        return new EngineException(where + ": " + what + " blob has " + (blob == null ? "no" : blob.length) + " bytes, expected "
                + want + " (truncated or damaged store)");
    }
}
