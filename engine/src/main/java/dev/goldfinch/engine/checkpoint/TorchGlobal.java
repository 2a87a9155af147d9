package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.tensor.DType;

import java.util.Optional;

/**
 * The only Python globals a checkpoint pickle may name. Naming one resolves to this inert constant; nothing
 * is imported or called. Modern torch still writes the legacy typed storage classes for float32, bfloat16
 * and float16 (Tensor._reduce_ex_internal wraps them in a TypedStorage); {@code _rebuild_tensor_v3} with an
 * {@code UntypedStorage} and a dtype global is what it writes for newer dtypes, accepted here only for the
 * three dtypes the engine reads.
 */
enum TorchGlobal {
    ORDERED_DICT("collections", "OrderedDict", Kind.ORDERED_DICT, null),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", Kind.REBUILD_TENSOR, null),
    REBUILD_TENSOR_V3("torch._utils", "_rebuild_tensor_v3", Kind.REBUILD_TENSOR, null),
    FLOAT_STORAGE("torch", "FloatStorage", Kind.TYPED_STORAGE, DType.F32),
    BFLOAT16_STORAGE("torch", "BFloat16Storage", Kind.TYPED_STORAGE, DType.BF16),
    HALF_STORAGE("torch", "HalfStorage", Kind.TYPED_STORAGE, DType.F16),
    UNTYPED_STORAGE("torch.storage", "UntypedStorage", Kind.UNTYPED_STORAGE, null),
    FLOAT32("torch", "float32", Kind.DTYPE, DType.F32),
    BFLOAT16("torch", "bfloat16", Kind.DTYPE, DType.BF16),
    FLOAT16("torch", "float16", Kind.DTYPE, DType.F16);

    enum Kind { ORDERED_DICT, REBUILD_TENSOR, TYPED_STORAGE, UNTYPED_STORAGE, DTYPE }

    final String module;
    final String name;
    final Kind kind;
    /** Element type of a typed storage class or dtype; null for the others. */
    final DType dtype;

    TorchGlobal(String module, String name, Kind kind, DType dtype) {
        this.module = module;
        this.name = name;
        this.kind = kind;
        this.dtype = dtype;
    }

    static Optional<TorchGlobal> lookup(String module, String name) {
        for (TorchGlobal g : values()) {
            if (g.module.equals(module) && g.name.equals(name)) return Optional.of(g);
        }
        return Optional.empty();
    }

    /** Whether a refused name is a real torch storage class or dtype, only of an element type not supported. */
    static boolean isOtherTorchStorageOrDtype(String module, String name) {
        return (module.equals("torch") || module.equals("torch.storage"))
                && (name.endsWith("Storage") || name.matches("(u?int|float|bfloat|complex|bool)[0-9a-z_]*"));
    }

    String qualifiedName() {
        return module + "." + name;
    }
}
