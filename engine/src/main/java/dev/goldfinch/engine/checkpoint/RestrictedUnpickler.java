package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.tensor.DType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine that can do nothing but rebuild torch tensor descriptors.
 *
 * <p>A pickle is a program: a stock unpickler imports whatever module a GLOBAL names and calls whatever REDUCE
 * is handed, so a checkpoint from the internet could run {@code os.system}. This VM implements only the
 * opcodes torch.save emits (protocol 2; the framing and memo opcodes of protocols 4-5 are tolerated), resolves
 * a GLOBAL only to a {@link TorchGlobal} constant and refuses every other name at the moment it is read, and
 * its REDUCE builds an empty dict or a {@link TensorRef} and nothing else. Stack, mark depth and memo are
 * bounded and every length is checked against the bytes left, so hostile input cannot exhaust memory.
 */
final class RestrictedUnpickler {

    static final int MAX_STACK = 1 << 20;
    static final int MAX_MARK_DEPTH = 1 << 10;
    static final int MAX_MEMO = 1 << 20;
    private static final int MAX_GLOBAL_LINE = 256;

    // Opcodes (Lib/pickle.py names).
    private static final int MARK = '(', STOP = '.', BININT = 'J', BININT1 = 'K', BININT2 = 'M', NONE = 'N',
            BINPERSID = 'Q', REDUCE = 'R', BINUNICODE = 'X', APPEND = 'a', BUILD = 'b', GLOBAL = 'c', DICT = 'd',
            APPENDS = 'e', BINGET = 'h', LONG_BINGET = 'j', EMPTY_LIST = ']', BINFLOAT = 'G', BINPUT = 'q',
            LONG_BINPUT = 'r', SETITEM = 's', TUPLE = 't', EMPTY_TUPLE = ')', SETITEMS = 'u', EMPTY_DICT = '}',
            PROTO = 0x80, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87, NEWTRUE = 0x88, NEWFALSE = 0x89,
            LONG1 = 0x8a, SHORT_BINUNICODE = 0x8c, MEMOIZE = 0x94, FRAME = 0x95, STACK_GLOBAL = 0x93;

    /** Python values the VM can hold besides String, Long, Double, Boolean and the records below. */
    private enum PyNone { NONE }

    private record Tuple(List<Object> items) {}

    private record PyList(List<Object> items) {}

    /** A dict or OrderedDict; only string keys occur in a state_dict and its _metadata. */
    private record PyDict(LinkedHashMap<String, Object> map) {}

    private final String where;
    private final byte[] in;
    private int pos;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final HashMap<Long, Object> memo = new HashMap<>();

    private RestrictedUnpickler(byte[] pickle, String where) {
        this.in = pickle;
        this.where = where;
    }

    /**
     * Runs {@code pickle} (the bytes of {@code data.pkl}) and returns its dict of tensor descriptors in
     * insertion order. {@code where} starts every error message.
     */
    static Map<String, TensorRef> readStateDict(byte[] pickle, String where) {
        return new RestrictedUnpickler(pickle, where).stateDict();
    }

    private Map<String, TensorRef> stateDict() {
        Object result = run();
        if (!(result instanceof PyDict dict)) {
            throw malformed("data.pkl holds " + typeName(result) + ", not a dict of tensors");
        }
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : dict.map().entrySet()) {
            if (!(e.getValue() instanceof TensorRef t)) {
                throw new EngineException(where + ": entry '" + Printable.of(e.getKey()) + "' of data.pkl is "
                        + typeName(e.getValue()) + ", not a tensor (expected a model state_dict)");
            }
            tensors.put(e.getKey(), t);
        }
        return tensors;
    }

    private Object run() {
        while (pos < in.length) {
            int at = pos;
            int op = u8();
            switch (op) {
                case PROTO -> {
                    int protocol = u8();
                    if (protocol < 2 || protocol > 5) throw malformed("unsupported pickle protocol " + protocol);
                }
                case FRAME -> { // a buffering hint of protocol 4+: the frame's opcodes simply follow
                    long len = u64();
                    if (len < 0 || len > in.length - pos) throw malformed("a frame runs past the end");
                }
                case GLOBAL -> push(resolve(line(), line()));
                case STACK_GLOBAL -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw malformed("STACK_GLOBAL needs two strings");
                    }
                    push(resolve(m, n));
                }
                case MARK -> {
                    if (marks.size() >= MAX_MARK_DEPTH) throw malformed("marks nested too deeply");
                    marks.add(stack.size());
                }
                case TUPLE -> push(new Tuple(popToMark()));
                case EMPTY_TUPLE -> push(new Tuple(List.of()));
                case TUPLE1, TUPLE2, TUPLE3 -> {
                    int n = op - TUPLE1 + 1;
                    List<Object> items = popN(n);
                    push(new Tuple(items));
                }
                case EMPTY_LIST -> push(new PyList(new ArrayList<>()));
                case APPEND -> {
                    Object v = pop();
                    list(peek()).add(v);
                }
                case APPENDS -> {
                    List<Object> items = popToMark();
                    list(peek()).addAll(items);
                }
                case EMPTY_DICT -> push(new PyDict(new LinkedHashMap<>()));
                case DICT -> {
                    PyDict d = new PyDict(new LinkedHashMap<>());
                    putPairs(d, popToMark());
                    push(d);
                }
                case SETITEM -> {
                    Object value = pop();
                    Object key = pop();
                    putPairs(dict(peek()), List.of(key, value));
                }
                case SETITEMS -> {
                    List<Object> pairs = popToMark();
                    putPairs(dict(peek()), pairs);
                }
                case BINUNICODE -> push(utf8(u32()));
                case SHORT_BINUNICODE -> push(utf8(u8()));
                case BININT -> push((long) s32());
                case BININT1 -> push((long) u8());
                case BININT2 -> push((long) (u8() | u8() << 8));
                case LONG1 -> push(long1(u8()));
                case BINFLOAT -> push(Double.longBitsToDouble(bigEndian64()));
                case NEWTRUE -> push(Boolean.TRUE);
                case NEWFALSE -> push(Boolean.FALSE);
                case NONE -> push(PyNone.NONE);
                case BINPUT -> memoize(u8());
                case LONG_BINPUT -> memoize(u32());
                case MEMOIZE -> memoize(memo.size());
                case BINGET -> push(recall(u8()));
                case LONG_BINGET -> push(recall(u32()));
                case BINPERSID -> push(storage(pop()));
                case REDUCE -> {
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args));
                }
                case BUILD -> build(pop(), peek());
                case STOP -> {
                    return pop();
                }
                default -> throw new EngineException(where + ": refused pickle opcode 0x"
                        + String.format("%02x", op) + " at byte " + at + " (a checkpoint may only build tensors)");
            }
        }
        throw malformed("data.pkl ends without a STOP opcode");
    }

    // ---- the only "calls" there are: all of them build inert values ----

    /** GLOBAL: the allow-list is checked here, before anything could use the name. */
    private TorchGlobal resolve(String module, String name) {
        return TorchGlobal.lookup(module, name).orElseThrow(() -> {
            String shown = Printable.of(module + "." + name);
            if (TorchGlobal.isOtherTorchStorageOrDtype(module, name)) {
                return new EngineException(where + ": unsupported storage class or dtype '" + shown
                        + "' (only float32, bfloat16 and float16 tensors can be read)");
            }
            return new EngineException(where + ": refused pickle global '" + shown
                    + "' (a checkpoint may only build tensors)");
        });
    }

    /** BINPERSID: {@code ('storage', <storage class>, '<key>', '<location>', numel)}. */
    private StorageRef storage(Object pid) {
        if (!(pid instanceof Tuple(List<Object> t)) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw malformed("a persistent id is not a ('storage', ...) tuple");
        }
        if (!(t.get(1) instanceof TorchGlobal cls)
                || (cls.kind != TorchGlobal.Kind.TYPED_STORAGE && cls.kind != TorchGlobal.Kind.UNTYPED_STORAGE)) {
            throw new EngineException(where + ": unknown storage class " + describe(t.get(1))
                    + " in a persistent id");
        }
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String location)
                || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw malformed("a storage persistent id has wrong fields");
        }
        return new StorageRef(cls, key, location, numel);
    }

    private Object reduce(Object callable, Object args) {
        if (!(args instanceof Tuple(List<Object> a))) throw malformed("REDUCE arguments are not a tuple");
        if (callable == TorchGlobal.ORDERED_DICT) {
            if (!a.isEmpty()) throw malformed("OrderedDict is built with arguments");
            return new PyDict(new LinkedHashMap<>());
        }
        if (callable == TorchGlobal.REBUILD_TENSOR_V2) return rebuildTensor(a, false);
        if (callable == TorchGlobal.REBUILD_TENSOR_V3) return rebuildTensor(a, true);
        throw malformed(describe(callable) + " cannot be called");
    }

    /**
     * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])};
     * v3 adds a dtype after backward_hooks and goes with an UntypedStorage.
     */
    private TensorRef rebuildTensor(List<Object> a, boolean v3) {
        int fixed = v3 ? 7 : 6;
        if (a.size() != fixed && a.size() != fixed + 1) throw malformed("a tensor is rebuilt with " + a.size() + " arguments");
        if (!(a.get(0) instanceof StorageRef storage)) throw malformed("a tensor is rebuilt without a storage");
        if (!(a.get(1) instanceof Long offset) || offset < 0) throw malformed("a tensor has a bad storage offset");
        long[] size = longs(a.get(2), "size");
        long[] stride = longs(a.get(3), "stride");
        if (!(a.get(4) instanceof Boolean) || !(a.get(5) instanceof PyDict)) {
            throw malformed("a tensor has bad requires_grad or backward_hooks");
        }
        if (a.size() == fixed + 1 && !(a.get(fixed) instanceof PyDict(var metadata) && metadata.isEmpty())) {
            throw malformed("tensor metadata (conj/neg bits or subclass state) is not supported");
        }
        DType dtype;
        if (v3) {
            if (storage.storageClass().kind != TorchGlobal.Kind.UNTYPED_STORAGE
                    || !(a.get(6) instanceof TorchGlobal g) || g.kind != TorchGlobal.Kind.DTYPE) {
                throw malformed("_rebuild_tensor_v3 needs an UntypedStorage and a dtype");
            }
            dtype = g.dtype;
        } else {
            if (storage.storageClass().kind != TorchGlobal.Kind.TYPED_STORAGE) {
                throw malformed("_rebuild_tensor_v2 needs a typed storage (an UntypedStorage holds bytes)");
            }
            dtype = storage.storageClass().dtype;
        }
        return new TensorRef(storage, dtype, offset, size, stride);
    }

    /** BUILD sets an object's state; torch only uses it to attach _metadata to a state_dict, which is ignored. */
    private void build(Object state, Object target) {
        if (!(target instanceof PyDict) || !(state instanceof PyDict || state == PyNone.NONE)) {
            throw malformed("BUILD on " + typeName(target));
        }
    }

    // ---- stack, marks, memo ----

    private void push(Object v) {
        if (stack.size() >= MAX_STACK) throw malformed("the pickle stack grows too deep");
        stack.add(v);
    }

    /** As in CPython, a MARK starts a fresh stack: what lies below it cannot be popped or peeked. */
    private Object pop() {
        Object v = peek();
        stack.removeLast();
        return v;
    }

    private Object peek() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.getLast() == stack.size())) {
            throw malformed("the stack underflows");
        }
        return stack.getLast();
    }

    private List<Object> popN(int n) {
        int from = stack.size() - n;
        if (from < 0 || (!marks.isEmpty() && marks.getLast() > from)) throw malformed("the stack underflows");
        List<Object> view = stack.subList(from, stack.size());
        List<Object> items = List.copyOf(view);
        view.clear();
        return items;
    }

    private List<Object> popToMark() {
        if (marks.isEmpty()) throw malformed("an opcode needs a MARK that is missing");
        int from = marks.removeLast();
        List<Object> view = stack.subList(from, stack.size());
        List<Object> items = List.copyOf(view);
        view.clear();
        return items;
    }

    private void memoize(long index) {
        Object top = peek();
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) throw malformed("the memo grows too large");
        memo.put(index, top);
    }

    private Object recall(long index) {
        Object v = memo.get(index);
        if (v == null) throw malformed("memo entry " + index + " is read before it is written");
        return v;
    }

    private List<Object> list(Object target) {
        if (!(target instanceof PyList(List<Object> items))) throw malformed("APPEND to " + typeName(target));
        return items;
    }

    private PyDict dict(Object target) {
        if (!(target instanceof PyDict d)) throw malformed("SETITEM on " + typeName(target));
        return d;
    }

    private void putPairs(PyDict d, List<Object> pairs) {
        if (pairs.size() % 2 != 0) throw malformed("a dict gets an odd number of items");
        for (int i = 0; i < pairs.size(); i += 2) {
            if (!(pairs.get(i) instanceof String key)) throw malformed("a dict key is " + typeName(pairs.get(i)));
            d.map().put(key, pairs.get(i + 1));
        }
    }

    private long[] longs(Object v, String what) {
        if (!(v instanceof Tuple(List<Object> items))) throw malformed("a tensor's " + what + " is not a tuple");
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof Long x)) throw malformed("a tensor's " + what + " holds " + typeName(items.get(i)));
            out[i] = x;
        }
        return out;
    }

    // ---- reading the byte stream; every length is checked before anything is allocated ----

    private void need(long n) {
        if (n < 0 || n > in.length - pos) throw malformed("data.pkl ends in the middle of an opcode");
    }

    private int u8() {
        need(1);
        return in[pos++] & 0xff;
    }

    private int s32() {
        need(4);
        int v = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8 | (in[pos + 2] & 0xff) << 16 | in[pos + 3] << 24;
        pos += 4;
        return v;
    }

    private long u32() {
        return Integer.toUnsignedLong(s32());
    }

    private long u64() {
        long lo = u32();
        long hi = u32();
        return hi << 32 | lo;
    }

    private long bigEndian64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (in[pos++] & 0xff);
        return v;
    }

    /** LONG1: a little-endian two's-complement integer of n bytes; more than 8 cannot be a size or offset. */
    private long long1(int n) {
        if (n > 8) throw malformed("an integer of " + n + " bytes is too large");
        need(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = v << 8 | (in[pos + i] & 0xff);
        if (n > 0 && n < 8 && in[pos + n - 1] < 0) v -= 1L << (8 * n); // sign-extend
        pos += n;
        return v;
    }

    private String utf8(long n) {
        need(n);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, pos, (int) n))
                    .toString();
            pos += (int) n;
            return s;
        } catch (CharacterCodingException e) {
            throw malformed("a string is not valid UTF-8");
        }
    }

    /** One newline-terminated line of a GLOBAL opcode. */
    private String line() {
        int start = pos;
        int limit = Math.min(in.length, start + MAX_GLOBAL_LINE);
        for (int i = start; i < limit; i++) {
            if (in[i] == '\n') {
                pos = i + 1;
                return new String(in, start, i - start, StandardCharsets.UTF_8);
            }
        }
        throw malformed("a GLOBAL name is not terminated");
    }

    // ---- messages ----

    private EngineException malformed(String what) {
        return new EngineException(where + ": malformed pickle in data.pkl (" + what + ")");
    }

    private static String describe(Object v) {
        return v instanceof TorchGlobal g ? "'" + g.qualifiedName() + "'" : typeName(v);
    }

    private static String typeName(Object v) {
        return switch (v) {
            case String s -> "a string";
            case Long l -> "an integer";
            case Double d -> "a float";
            case Boolean b -> "a bool";
            case PyNone n -> "None";
            case Tuple t -> "a tuple";
            case PyList l -> "a list";
            case PyDict d -> "a dict";
            case TorchGlobal g -> "'" + g.qualifiedName() + "'";
            case StorageRef s -> "a storage";
            case TensorRef t -> "a tensor";
            default -> v.getClass().getSimpleName();
        };
    }
}
