package dev.goldfinch.engine.kernel;

import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = W·x for a batch of rows: W is a stored [out, in] weight (float32 or bf16, read where it lies in the
 * mapped checkpoint), x is [T, in] and y is [T, out], both row-major float32 on the heap.
 *
 * <p>Three kernels, all splitting the output rows over the worker threads ({@link Parallel}):
 * <ul>
 * <li><b>One token (decode)</b> is bound by memory bandwidth: every weight is used once. Four weight rows from four
 * distant parts of the range are streamed at a time, bf16 widened in registers, each row with its own accumulator:
 * four independent multiply-add chains and four memory streams in flight.</li>
 * <li><b>A batch (pre-fill)</b> is bound by arithmetic: every weight is used T times. The batch is transposed once
 * per call into groups of {@link #TOKENS} tokens ({@code xt[k][token]}), and a block of weight rows at a time is
 * widened once into a thread-local scratch. The register tile is then that block's rows × {@code TOKENS} tokens, two
 * vector accumulators per row: per input index k, two vector loads of x and a broadcast weight per row feed two FMAs
 * per row, and the result needs no horizontal reduction. The block is 6 rows (12 accumulators) where the CPU has 16
 * vector registers (AVX2), 12 rows (24 accumulators) where it has 32 (AVX-512): half the loads of x and loop overhead
 * per FMA; on AVX-512 1.3x the 6-row tile in a stand-alone harness, 6-12% in {@code bench matmul}. The input
 * dimension is cut into slabs that stay in the L2 cache while a chunk of weight rows passes over them.</li>
 * <li>Small batches (fewer than {@link #MIN_BATCH} rows) use one widened weight row against four tokens at a
 * time.</li>
 * </ul>
 * The batch kernels read weights through a {@link RowSource}, so int8 weights ({@link Int8MatMul}) share them, with
 * rows dequantized instead of widened. The kernels sum in different orders, so their results agree to float rounding,
 * not bit for bit.
 */
public final class MatMul {

    static final VectorSpecies<Float> F = Vectors.FLOAT;
    static final VectorSpecies<Integer> I = Vectors.INT;
    /** Half F's width: as many bf16 values as F has lanes, widened in one step. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    /** Tokens per group of the batch kernel: two vectors (16 with AVX2, 32 with AVX-512). */
    static final int TOKENS = 2 * F.length();
    /** Weight rows per block of the batch kernel where the CPU has 16 vector registers, and the narrow blocks elsewhere. */
    static final int ROWS = 6;
    /** Weight rows per block where the CPU has 32 vector registers (AVX-512): 24 accumulators. */
    static final int WIDE_ROWS = 12;
    /** The block the batch kernel uses on this CPU, at every vector width. */
    static final int TILE_ROWS = Vectors.REGISTERS >= 32 ? WIDE_ROWS : ROWS;
    /** Batches of at least this many rows use the transposed-batch kernel. */
    static final int MIN_BATCH = F.length();
    /** Floats of the batch slab kept in cache while a chunk of weight rows passes over it (256 KiB, half an L2). */
    private static final int SLAB_FLOATS = 64 * 1024;
    /** Row blocks whose results are gathered in the tiles' layout before they are written to y. */
    private static final int CHUNK = 16;
    /** Multiply-adds below which a piece of work is not worth handing to another thread. */
    private static final int MIN_WORK = 1 << 17;
    /** Per thread: widened weight rows, and a chunk's results in the tiles' layout. */
    private static final Scratch SCRATCH = new Scratch();
    private static final Scratch RESULTS = new Scratch();
    /** The batch transposed into groups of TOKENS, made on the calling thread before the workers start. */
    private static final Scratch TRANSPOSED = new Scratch();

    private MatMul() {
    }

    public static void matmul(Tensor w, float[] x, int rows, float[] y) {
        int out = (int) w.size(0), in = (int) w.size(1);
        if (w.dtype() == DType.F16) throw new IllegalArgumentException("f16 weights must be widened at load: " + w.name());
        if (rows == 1) {
            Parallel.forRange(out, grain(in), (from, to) -> gemv(w, x, in, y, from, to));
        } else {
            matmul(w, x, rows, y, TILE_ROWS);
        }
    }

    /** A batch (or a single row the slow way) in blocks of {@code tileRows} (6 or 12): the public call uses this CPU's, tests run both. */
    static void matmul(Tensor w, float[] x, int rows, float[] y, int tileRows) {
        int in = (int) w.size(1);
        batch((o, count, k0, kn, dst) -> loadRows(w, o, count, in, k0, kn, dst), (int) w.size(0), in, x, rows, y, tileRows);
    }

    /**
     * y = W·x for a batch of rows, W given by the rows it widens: the tiled kernel in blocks of tileRows, then of ROWS,
     * the last rows (or small batches) a row at a time.
     */
    static void batch(RowSource w, int out, int in, float[] x, int rows, float[] y, int tileRows) {
        if (rows >= MIN_BATCH && out >= ROWS) {
            float[] xt = transposeGroups(x, rows, in);
            int wide = out / tileRows * tileRows, narrow = wide + (out - wide) / ROWS * ROWS;
            tiled(w, xt, rows, in, out, y, 0, wide, tileRows);
            tiled(w, xt, rows, in, out, y, wide, narrow, ROWS);
            if (narrow < out) smallBatch(w, x, rows, in, out, y, narrow, out);
        } else {
            Parallel.forRange(out, grain((long) in * rows), (from, to) -> smallBatch(w, x, rows, in, out, y, from, to));
        }
    }

    /** Items per piece so that each piece does at least MIN_WORK multiply-adds. */
    private static int grain(long workPerItem) {
        return (int) Math.max(1, MIN_WORK / Math.max(1, workPerItem));
    }

    // ---- one token: stream the weights ----

    /**
     * Rows [from, to) for one token. The rows are taken four at a time from the four quarters of the range (o, o+q,
     * o+2q, o+3q), each with its own accumulator: four independent FMA chains, and four separate memory streams that
     * the hardware prefetchers follow in parallel (adjacent rows form a single stream, which one core cannot pull
     * from memory as fast: measured 5-8 GB/s against 10-14 GB/s for four streams).
     */
    private static void gemv(Tensor w, float[] x, int in, float[] y, int from, int to) {
        MemorySegment seg = w.data();
        boolean bf16 = w.dtype() == DType.BF16;
        int q = (to - from) / 4;
        for (int o = from; o < from + q; o++) {
            if (bf16) gemv4Bf16(seg, (long) o * in, (long) q * in, in, x, y, o, q);
            else gemv4F32(seg, (long) o * in, (long) q * in, in, x, y, o, q);
        }
        for (int o = from + 4 * q; o < to; o++) y[o] = bf16 ? dotBf16(seg, (long) o * in, x, 0, in) : dotF32(seg, (long) o * in, x, 0, in);
    }

    /** y[o + j·q] for j < 4: rows starting at elements r0 + j·step. */
    private static void gemv4Bf16(MemorySegment seg, long r0, long step, int n, float[] x, float[] y, int o, int q) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long r1 = r0 + step, r2 = r1 + step, r3 = r2 + step;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            a0 = loadBf16(seg, r0 + i).fma(xv, a0);
            a1 = loadBf16(seg, r1 + i).fma(xv, a1);
            a2 = loadBf16(seg, r2 + i).fma(xv, a2);
            a3 = loadBf16(seg, r3 + i).fma(xv, a3);
        }
        float s0 = Reduce.sum(a0), s1 = Reduce.sum(a1);
        float s2 = Reduce.sum(a2), s3 = Reduce.sum(a3);
        for (; i < n; i++) {
            s0 += bf16(seg, r0 + i) * x[i];
            s1 += bf16(seg, r1 + i) * x[i];
            s2 += bf16(seg, r2 + i) * x[i];
            s3 += bf16(seg, r3 + i) * x[i];
        }
        y[o] = s0;
        y[o + q] = s1;
        y[o + 2 * q] = s2;
        y[o + 3 * q] = s3;
    }

    private static void gemv4F32(MemorySegment seg, long r0, long step, int n, float[] x, float[] y, int o, int q) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long b0 = r0 * 4, b1 = b0 + step * 4, b2 = b1 + step * 4, b3 = b2 + step * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            long b = 4L * i;
            a0 = FloatVector.fromMemorySegment(F, seg, b0 + b, LE).fma(xv, a0);
            a1 = FloatVector.fromMemorySegment(F, seg, b1 + b, LE).fma(xv, a1);
            a2 = FloatVector.fromMemorySegment(F, seg, b2 + b, LE).fma(xv, a2);
            a3 = FloatVector.fromMemorySegment(F, seg, b3 + b, LE).fma(xv, a3);
        }
        float s0 = Reduce.sum(a0), s1 = Reduce.sum(a1);
        float s2 = Reduce.sum(a2), s3 = Reduce.sum(a3);
        for (; i < n; i++) {
            s0 += f32(seg, r0 + i) * x[i];
            s1 += f32(seg, r0 + step + i) * x[i];
            s2 += f32(seg, r0 + 2 * step + i) * x[i];
            s3 += f32(seg, r0 + 3 * step + i) * x[i];
        }
        y[o] = s0;
        y[o + q] = s1;
        y[o + 2 * q] = s2;
        y[o + 3 * q] = s3;
    }

    // ---- a batch: register tile of 6 or 12 weight rows × TOKENS tokens over the transposed batch ----

    /** Output rows [from, to), a multiple of tileRows, from the transposed batch xt. */
    private static void tiled(RowSource w, float[] xt, int rows, int in, int out, float[] y, int from, int to, int tileRows) {
        if (from == to) return;
        int groups = (rows + TOKENS - 1) / TOKENS;
        // A slab of the batch, k0 … k0+kb−1 of every token, is kept small enough for the core's L2 cache and reused by
        // every weight row of a chunk; each weight is read (and widened) exactly once per call.
        int kb = Math.min(in, Math.max(64, (SLAB_FLOATS / (groups * TOKENS)) & ~7));
        int tile = tileRows * TOKENS;
        Parallel.forRange((to - from) / tileRows, grain((long) tileRows * in * rows), (b0, b1) -> {
            float[] wr = SCRATCH.floats(tileRows * kb);
            float[] yt = RESULTS.floats(CHUNK * groups * tile);
            for (int c0 = b0; c0 < b1; c0 += CHUNK) {
                int c1 = Math.min(b1, c0 + CHUNK);
                java.util.Arrays.fill(yt, 0, (c1 - c0) * groups * tile, 0f);
                for (int k0 = 0; k0 < in; k0 += kb) {
                    int kn = Math.min(kb, in - k0);
                    for (int b = c0; b < c1; b++) {
                        w.widen(from + b * tileRows, tileRows, k0, kn, wr);
                        for (int g = 0; g < groups; g++) {
                            int xOff = (g * in + k0) * TOKENS, yOff = ((b - c0) * groups + g) * tile;
                            if (tileRows == WIDE_ROWS) tile12(wr, kn, xt, xOff, yt, yOff);
                            else tile(wr, kn, xt, xOff, yt, yOff);
                        }
                    }
                }
                untranspose(yt, groups, rows, out, y, from, c0, c1, tileRows);
            }
        });
    }

    /**
     * x [T, in] as groups of TOKENS tokens, each group [in][TOKENS] (token index fastest), zero-padded: group g starts at
     * g·TOKENS·in, and element (t, k) of the group is at k·TOKENS + t.
     */
    private static float[] transposeGroups(float[] x, int rows, int in) {
        int groups = (rows + TOKENS - 1) / TOKENS;
        float[] xt = TRANSPOSED.floats(groups * TOKENS * in); // the caller's thread's; the workers read it
        // A group to a thread: each writes its own part of xt (no shared cache lines but at the ends).
        Parallel.forRange(groups, grain((long) TOKENS * in), (g0, g1) -> {
            for (int g = g0; g < g1; g++) {
                int lanes = Math.min(TOKENS, rows - g * TOKENS), base = g * TOKENS * in;
                // A last group's unused lanes: zero as in a fresh array (their products are never read back).
                if (lanes < TOKENS) {
                    for (int k = 0; k < in; k++) java.util.Arrays.fill(xt, base + k * TOKENS + lanes, base + (k + 1) * TOKENS, 0f);
                }
                for (int lane = 0; lane < lanes; lane++) {
                    int dst = base + lane, src = (g * TOKENS + lane) * in;
                    for (int k = 0; k < in; k++) xt[dst + k * TOKENS] = x[src + k];
                }
            }
        });
        return xt;
    }

    /**
     * Columns k0 … k0+kn−1 of weight rows o … o+count−1 as float32, row-major [count][kn], into dst. The rows are read
     * side by side, a vector from each in turn: several memory streams in flight instead of one row after another.
     */
    private static void loadRows(Tensor w, int o, int count, int in, int k0, int kn, float[] dst) {
        MemorySegment seg = w.data();
        boolean bf16 = w.dtype() == DType.BF16;
        long r0 = (long) o * in + k0;
        int i = 0;
        for (int bound = F.loopBound(kn); i < bound; i += F.length()) {
            for (int r = 0; r < count; r++) {
                long at = r0 + (long) r * in + i;
                FloatVector v = bf16 ? loadBf16(seg, at) : FloatVector.fromMemorySegment(F, seg, at * 4, LE);
                v.intoArray(dst, r * kn + i);
            }
        }
        for (; i < kn; i++) {
            for (int r = 0; r < count; r++) {
                long at = r0 + (long) r * in + i;
                dst[r * kn + i] = bf16 ? bf16(seg, at) : f32(seg, at);
            }
        }
    }

    /**
     * Six weight rows (w, row-major [6][in]) times one group of TOKENS tokens (xt from xOff, [in][TOKENS]), added to
     * yt[yOff + r·TOKENS + t]. The accumulators of row r hold its TOKENS results in two vectors; each weight is broadcast
     * once and multiplies both.
     */
    private static void tile(float[] w, int in, float[] xt, int xOff, float[] yt, int yOff) {
        int lanes = F.length();
        FloatVector a00 = FloatVector.fromArray(F, yt, yOff), a01 = FloatVector.fromArray(F, yt, yOff + lanes);
        FloatVector a10 = FloatVector.fromArray(F, yt, yOff + TOKENS), a11 = FloatVector.fromArray(F, yt, yOff + TOKENS + lanes);
        FloatVector a20 = FloatVector.fromArray(F, yt, yOff + 2 * TOKENS), a21 = FloatVector.fromArray(F, yt, yOff + 2 * TOKENS + lanes);
        FloatVector a30 = FloatVector.fromArray(F, yt, yOff + 3 * TOKENS), a31 = FloatVector.fromArray(F, yt, yOff + 3 * TOKENS + lanes);
        FloatVector a40 = FloatVector.fromArray(F, yt, yOff + 4 * TOKENS), a41 = FloatVector.fromArray(F, yt, yOff + 4 * TOKENS + lanes);
        FloatVector a50 = FloatVector.fromArray(F, yt, yOff + 5 * TOKENS), a51 = FloatVector.fromArray(F, yt, yOff + 5 * TOKENS + lanes);
        int w1 = in, w2 = 2 * in, w3 = 3 * in, w4 = 4 * in, w5 = 5 * in;
        for (int k = 0, xi = xOff; k < in; k++, xi += TOKENS) {
            FloatVector x0 = FloatVector.fromArray(F, xt, xi);
            FloatVector x1 = FloatVector.fromArray(F, xt, xi + lanes);
            FloatVector b = FloatVector.broadcast(F, w[k]);
            a00 = b.fma(x0, a00);
            a01 = b.fma(x1, a01);
            b = FloatVector.broadcast(F, w[w1 + k]);
            a10 = b.fma(x0, a10);
            a11 = b.fma(x1, a11);
            b = FloatVector.broadcast(F, w[w2 + k]);
            a20 = b.fma(x0, a20);
            a21 = b.fma(x1, a21);
            b = FloatVector.broadcast(F, w[w3 + k]);
            a30 = b.fma(x0, a30);
            a31 = b.fma(x1, a31);
            b = FloatVector.broadcast(F, w[w4 + k]);
            a40 = b.fma(x0, a40);
            a41 = b.fma(x1, a41);
            b = FloatVector.broadcast(F, w[w5 + k]);
            a50 = b.fma(x0, a50);
            a51 = b.fma(x1, a51);
        }
        a00.intoArray(yt, yOff);
        a01.intoArray(yt, yOff + lanes);
        a10.intoArray(yt, yOff + TOKENS);
        a11.intoArray(yt, yOff + TOKENS + lanes);
        a20.intoArray(yt, yOff + 2 * TOKENS);
        a21.intoArray(yt, yOff + 2 * TOKENS + lanes);
        a30.intoArray(yt, yOff + 3 * TOKENS);
        a31.intoArray(yt, yOff + 3 * TOKENS + lanes);
        a40.intoArray(yt, yOff + 4 * TOKENS);
        a41.intoArray(yt, yOff + 4 * TOKENS + lanes);
        a50.intoArray(yt, yOff + 5 * TOKENS);
        a51.intoArray(yt, yOff + 5 * TOKENS + lanes);
    }

    /** As {@link #tile} with twelve weight rows (24 accumulators): for CPUs with 32 vector registers. */
    private static void tile12(float[] w, int in, float[] xt, int xOff, float[] yt, int yOff) {
        int lanes = F.length();
        FloatVector a00 = FloatVector.fromArray(F, yt, yOff + 0 * TOKENS), a01 = FloatVector.fromArray(F, yt, yOff + 0 * TOKENS + lanes);
        FloatVector a10 = FloatVector.fromArray(F, yt, yOff + 1 * TOKENS), a11 = FloatVector.fromArray(F, yt, yOff + 1 * TOKENS + lanes);
        FloatVector a20 = FloatVector.fromArray(F, yt, yOff + 2 * TOKENS), a21 = FloatVector.fromArray(F, yt, yOff + 2 * TOKENS + lanes);
        FloatVector a30 = FloatVector.fromArray(F, yt, yOff + 3 * TOKENS), a31 = FloatVector.fromArray(F, yt, yOff + 3 * TOKENS + lanes);
        FloatVector a40 = FloatVector.fromArray(F, yt, yOff + 4 * TOKENS), a41 = FloatVector.fromArray(F, yt, yOff + 4 * TOKENS + lanes);
        FloatVector a50 = FloatVector.fromArray(F, yt, yOff + 5 * TOKENS), a51 = FloatVector.fromArray(F, yt, yOff + 5 * TOKENS + lanes);
        FloatVector a60 = FloatVector.fromArray(F, yt, yOff + 6 * TOKENS), a61 = FloatVector.fromArray(F, yt, yOff + 6 * TOKENS + lanes);
        FloatVector a70 = FloatVector.fromArray(F, yt, yOff + 7 * TOKENS), a71 = FloatVector.fromArray(F, yt, yOff + 7 * TOKENS + lanes);
        FloatVector a80 = FloatVector.fromArray(F, yt, yOff + 8 * TOKENS), a81 = FloatVector.fromArray(F, yt, yOff + 8 * TOKENS + lanes);
        FloatVector a90 = FloatVector.fromArray(F, yt, yOff + 9 * TOKENS), a91 = FloatVector.fromArray(F, yt, yOff + 9 * TOKENS + lanes);
        FloatVector aA0 = FloatVector.fromArray(F, yt, yOff + 10 * TOKENS), aA1 = FloatVector.fromArray(F, yt, yOff + 10 * TOKENS + lanes);
        FloatVector aB0 = FloatVector.fromArray(F, yt, yOff + 11 * TOKENS), aB1 = FloatVector.fromArray(F, yt, yOff + 11 * TOKENS + lanes);
        for (int k = 0, xi = xOff; k < in; k++, xi += TOKENS) {
            FloatVector x0 = FloatVector.fromArray(F, xt, xi);
            FloatVector x1 = FloatVector.fromArray(F, xt, xi + lanes);
            FloatVector b = FloatVector.broadcast(F, w[0 * in + k]);
            a00 = b.fma(x0, a00);
            a01 = b.fma(x1, a01);
            b = FloatVector.broadcast(F, w[1 * in + k]);
            a10 = b.fma(x0, a10);
            a11 = b.fma(x1, a11);
            b = FloatVector.broadcast(F, w[2 * in + k]);
            a20 = b.fma(x0, a20);
            a21 = b.fma(x1, a21);
            b = FloatVector.broadcast(F, w[3 * in + k]);
            a30 = b.fma(x0, a30);
            a31 = b.fma(x1, a31);
            b = FloatVector.broadcast(F, w[4 * in + k]);
            a40 = b.fma(x0, a40);
            a41 = b.fma(x1, a41);
            b = FloatVector.broadcast(F, w[5 * in + k]);
            a50 = b.fma(x0, a50);
            a51 = b.fma(x1, a51);
            b = FloatVector.broadcast(F, w[6 * in + k]);
            a60 = b.fma(x0, a60);
            a61 = b.fma(x1, a61);
            b = FloatVector.broadcast(F, w[7 * in + k]);
            a70 = b.fma(x0, a70);
            a71 = b.fma(x1, a71);
            b = FloatVector.broadcast(F, w[8 * in + k]);
            a80 = b.fma(x0, a80);
            a81 = b.fma(x1, a81);
            b = FloatVector.broadcast(F, w[9 * in + k]);
            a90 = b.fma(x0, a90);
            a91 = b.fma(x1, a91);
            b = FloatVector.broadcast(F, w[10 * in + k]);
            aA0 = b.fma(x0, aA0);
            aA1 = b.fma(x1, aA1);
            b = FloatVector.broadcast(F, w[11 * in + k]);
            aB0 = b.fma(x0, aB0);
            aB1 = b.fma(x1, aB1);
        }
        a00.intoArray(yt, yOff + 0 * TOKENS);
        a01.intoArray(yt, yOff + 0 * TOKENS + lanes);
        a10.intoArray(yt, yOff + 1 * TOKENS);
        a11.intoArray(yt, yOff + 1 * TOKENS + lanes);
        a20.intoArray(yt, yOff + 2 * TOKENS);
        a21.intoArray(yt, yOff + 2 * TOKENS + lanes);
        a30.intoArray(yt, yOff + 3 * TOKENS);
        a31.intoArray(yt, yOff + 3 * TOKENS + lanes);
        a40.intoArray(yt, yOff + 4 * TOKENS);
        a41.intoArray(yt, yOff + 4 * TOKENS + lanes);
        a50.intoArray(yt, yOff + 5 * TOKENS);
        a51.intoArray(yt, yOff + 5 * TOKENS + lanes);
        a60.intoArray(yt, yOff + 6 * TOKENS);
        a61.intoArray(yt, yOff + 6 * TOKENS + lanes);
        a70.intoArray(yt, yOff + 7 * TOKENS);
        a71.intoArray(yt, yOff + 7 * TOKENS + lanes);
        a80.intoArray(yt, yOff + 8 * TOKENS);
        a81.intoArray(yt, yOff + 8 * TOKENS + lanes);
        a90.intoArray(yt, yOff + 9 * TOKENS);
        a91.intoArray(yt, yOff + 9 * TOKENS + lanes);
        aA0.intoArray(yt, yOff + 10 * TOKENS);
        aA1.intoArray(yt, yOff + 10 * TOKENS + lanes);
        aB0.intoArray(yt, yOff + 11 * TOKENS);
        aB1.intoArray(yt, yOff + 11 * TOKENS + lanes);
    }

    /** Rows of blocks c0 … c1−1 (of tileRows rows from row `from`) of y [T, out] from a chunk's tiles, yt [block][group][tileRows][TOKENS]. */
    private static void untranspose(float[] yt, int groups, int rows, int out, float[] y, int from, int c0, int c1, int tileRows) {
        for (int t = 0; t < rows; t++) {
            int g = t / TOKENS, lane = t % TOKENS;
            for (int b = c0; b < c1; b++) {
                int src = ((b - c0) * groups + g) * tileRows * TOKENS + lane, dst = t * out + from + b * tileRows;
                for (int r = 0; r < tileRows; r++) y[dst + r] = yt[src + r * TOKENS];
            }
        }
    }

    // ---- a few rows: one widened weight row against four tokens at a time ----

    private static void smallBatch(RowSource w, float[] x, int rows, int in, int out, float[] y, int from, int to) {
        float[] wrow = SCRATCH.floats(in);
        for (int o = from; o < to; o++) {
            w.widen(o, 1, 0, in, wrow);
            int t = 0;
            for (; t + 4 <= rows; t += 4) dot4(wrow, x, t * in, in, y, t, out, o);
            for (; t < rows; t++) y[t * out + o] = dot(wrow, x, t * in, in);
        }
    }

    // ---- element access and dot products ----

    /** bf16 is the top half of a float32: widen by a 16-bit left shift. */
    static FloatVector loadBf16(MemorySegment seg, long element) {
        ShortVector s = ShortVector.fromMemorySegment(S, seg, element * 2, LE);
        return ((IntVector) s.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static float bf16(MemorySegment seg, long element) {
        return Float.intBitsToFloat((seg.get(I16_LE, element * 2) & 0xffff) << 16);
    }

    static float f32(MemorySegment seg, long element) {
        return seg.get(F32_LE, element * 4);
    }

    static float dotF32(MemorySegment seg, long rowOffset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector wv = FloatVector.fromMemorySegment(F, seg, (rowOffset + i) * 4, LE);
            acc = wv.fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float sum = Reduce.sum(acc);
        for (; i < n; i++) sum += f32(seg, rowOffset + i) * x[xOff + i];
        return sum;
    }

    static float dotBf16(MemorySegment seg, long rowOffset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = loadBf16(seg, rowOffset + i).fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float sum = Reduce.sum(acc);
        for (; i < n; i++) sum += bf16(seg, rowOffset + i) * x[xOff + i];
        return sum;
    }

    /** Dot product of two heap rows. */
    public static float dot(float[] a, float[] b, int bOff, int n) {
        return dot(a, 0, b, bOff, n);
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float sum = Reduce.sum(acc);
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /** Four tokens against one widened weight row: one weight load feeds four multiply-adds. */
    private static void dot4(float[] w, float[] x, int xOff, int n, float[] y, int t, int out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            a0 = wv.fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = wv.fma(FloatVector.fromArray(F, x, xOff + n + i), a1);
            a2 = wv.fma(FloatVector.fromArray(F, x, xOff + 2 * n + i), a2);
            a3 = wv.fma(FloatVector.fromArray(F, x, xOff + 3 * n + i), a3);
        }
        float s0 = Reduce.sum(a0), s1 = Reduce.sum(a1);
        float s2 = Reduce.sum(a2), s3 = Reduce.sum(a3);
        for (; i < n; i++) {
            float wi = w[i];
            s0 += wi * x[xOff + i];
            s1 += wi * x[xOff + n + i];
            s2 += wi * x[xOff + 2 * n + i];
            s3 += wi * x[xOff + 3 * n + i];
        }
        y[t * out + o] = s0;
        y[(t + 1) * out + o] = s1;
        y[(t + 2) * out + o] = s2;
        y[(t + 3) * out + o] = s3;
    }
}
