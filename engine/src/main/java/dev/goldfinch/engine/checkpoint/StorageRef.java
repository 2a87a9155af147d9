package dev.goldfinch.engine.checkpoint;

/**
 * A pickle's persistent id {@code ('storage', <class>, '<key>', '<location>', numel)}: the storage lives in
 * the archive entry {@code data/<key>}. numel counts elements of a typed storage class, bytes of an
 * UntypedStorage.
 */
record StorageRef(TorchGlobal storageClass, String key, String location, long numel) {

    /** Bytes the storage occupies in its entry. */
    long byteSize() {
        return storageClass.kind == TorchGlobal.Kind.UNTYPED_STORAGE
                ? numel
                : Math.multiplyExact(numel, (long) storageClass.dtype.bytes);
    }
}
