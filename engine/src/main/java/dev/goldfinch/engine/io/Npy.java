package dev.goldfinch.engine.io;

import dev.goldfinch.engine.EngineException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NumPy .npy files (format 1.0/2.0, little-endian, C order): token ids in, float32 arrays out. */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A 1-D array of integer token ids (int32 or int64, or an [1, T] array). */
    public static int[] readTokens(Path file) {
        Header h = header(file);
        if (h.shape.length > 2 || (h.shape.length == 2 && h.shape[0] != 1)) {
            throw new EngineException(file + ": token array has shape " + shapeString(h.shape) + ", expected [T]");
        }
        int width = switch (h.descr) {
            case "<i4" -> 4;
            case "<i8" -> 8;
            default -> throw new EngineException(file + ": token ids must be int32 or int64 (.npy dtype '" + h.descr + "')");
        };
        int n = h.elements(file, width, "tokens");
        ByteBuffer b = h.data();
        int[] out = new int[n];
        if (width == 4) {
            for (int i = 0; i < n; i++) out[i] = b.getInt();
        } else {
            for (int i = 0; i < n; i++) {
                long v = b.getLong();
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new EngineException(file + ": token id " + v + " at " + i + " is out of range");
                out[i] = (int) v;
            }
        }
        return out;
    }

    /** A float32 array of any shape, as written by {@link #writeFloats}. */
    public static float[] readFloats(Path file) {
        Header h = header(file);
        if (!h.descr.equals("<f4")) throw new EngineException(file + ": expected float32 (.npy dtype '" + h.descr + "')");
        float[] out = new float[h.elements(file, 4, "values")];
        h.data().asFloatBuffer().get(out);
        return out;
    }

    public static long[] readShape(Path file) {
        return header(file).shape;
    }

    public static void writeFloats(Path file, float[] data, long... shape) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeTuple(shape) + "), }";
        int headerLen = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - headerLen % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        b.asFloatBuffer().put(data);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(b.array());
        } catch (IOException e) {
            throw new EngineException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private record Header(byte[] bytes, String descr, long[] shape, int dataOffset) {
        /**
         * The element count the shape claims, checked against the bytes the file really holds before anything is
         * allocated for them: a header may claim billions of elements in a file of a hundred bytes.
         */
        int elements(Path file, int width, String what) {
            long n = 1;
            try {
                for (long dim : shape) {
                    if (dim < 0) throw new EngineException(file + ": impossible .npy shape " + shapeString(shape));
                    n = Math.multiplyExact(n, dim);
                }
                long need = Math.multiplyExact(n, width);
                long have = bytes.length - dataOffset;
                if (need > have) {
                    throw new EngineException(file + ": truncated .npy data: the header claims " + n + " " + what + " (" + need
                            + " bytes), the file holds " + have + " bytes after it");
                }
            } catch (ArithmeticException overflow) {
                throw new EngineException(file + ": impossible .npy shape " + shapeString(shape));
            }
            return (int) n; // fits: n · width ≤ the bytes of an array
        }

        ByteBuffer data() {
            return ByteBuffer.wrap(bytes, dataOffset, bytes.length - dataOffset).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** The largest .npy file read: the data goes into one Java array. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

    private static Header header(Path file) {
        InputFiles.requireRegular(file, file.toString());
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw new EngineException(file + ": " + size + " bytes, too large for one .npy array here (at most " + MAX_FILE_BYTES + ")");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EngineException(file + ": no such file");
        } catch (IOException e) {
            throw new EngineException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length < 10) throw new EngineException(file + ": not a .npy file (too short)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) throw new EngineException(file + ": not a .npy file (bad magic)");
        }
        int major = bytes[6];
        int len, off;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len = b.getShort(8) & 0xffff;
            off = 10;
        } else {
            if (bytes.length < 12) throw new EngineException(file + ": truncated .npy header");
            len = b.getInt(8);
            off = 12;
        }
        if (len < 0 || len > bytes.length - off) throw new EngineException(file + ": truncated .npy header");
        String dict = new String(bytes, off, len, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(dict), o = ORDER.matcher(dict), s = SHAPE.matcher(dict);
        if (!d.find() || !o.find() || !s.find()) throw new EngineException(file + ": malformed .npy header");
        if (o.group(1).equals("True")) throw new EngineException(file + ": Fortran-ordered .npy arrays are not supported");
        String descr = d.group(1).replace("|", "<");
        long[] shape;
        try {
            shape = java.util.Arrays.stream(s.group(1).split(",")).map(String::trim).filter(p -> !p.isEmpty()).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new EngineException(file + ": malformed .npy shape (" + s.group(1).strip() + ")");
        }
        return new Header(bytes, descr, shape, off + len);
    }

    private static String shapeTuple(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (long d : shape) sb.append(d).append(", ");
        if (shape.length > 1) sb.setLength(sb.length() - 2);
        else if (shape.length == 1) sb.setLength(sb.length() - 1);
        return sb.toString().trim();
    }

    private static String shapeString(long[] shape) {
        return java.util.Arrays.toString(shape);
    }
}
