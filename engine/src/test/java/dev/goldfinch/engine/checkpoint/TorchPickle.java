package dev.goldfinch.engine.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes pickles the way torch.save does for a state_dict (protocol 2, a dict of
 * {@code _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())}), without memo
 * opcodes, and raw opcode sequences for hostile tests.
 */
final class TorchPickle {

    /** One tensor: {@code storageClass} is e.g. "FloatStorage"; numel is the storage's element count. */
    record Spec(String name, String storageClass, String key, long numel, long offset, long[] shape, long[] stride) {
        static Spec contiguous(String name, String storageClass, String key, long... shape) {
            long[] stride = new long[shape.length];
            long n = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                stride[i] = n;
                n *= shape[i];
            }
            return new Spec(name, storageClass, key, n, 0, shape, stride);
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static byte[] stateDict(List<Spec> tensors) {
        TorchPickle p = new TorchPickle();
        p.op(0x80).op(2).op('}').op('(');
        for (Spec t : tensors) {
            p.unicode(t.name()).global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').unicode("storage").global("torch", t.storageClass()).unicode(t.key()).unicode("cpu")
                    .integer(t.numel()).op('t').op('Q');
            p.integer(t.offset()).tuple(t.shape()).tuple(t.stride()).op(0x89)
                    .global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
        }
        return p.op('u').op('.').bytes();
    }

    TorchPickle op(int b) {
        out.write(b);
        return this;
    }

    TorchPickle global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TorchPickle unicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    TorchPickle shortUnicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8c).op(b.length);
        out.writeBytes(b);
        return this;
    }

    /** BININT for what fits 32 bits, LONG1 with 8 bytes beyond (as pickle does for big sizes). */
    TorchPickle integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return op('J').le(v, 4);
        return op(0x8a).op(8).le(v, 8);
    }

    TorchPickle tuple(long[] values) {
        op('(');
        for (long v : values) integer(v);
        return op('t');
    }

    TorchPickle le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
