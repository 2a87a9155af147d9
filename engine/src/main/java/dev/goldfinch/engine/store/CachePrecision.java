package dev.goldfinch.engine.store;

/**
 * How cc_t is written to the store. F16 is the default (16 bits a number, as the paper counts the cache);
 * Q8 keeps one byte a number plus a 16-bit scale per row; F32 is exact.
 */
public enum CachePrecision {
    F16, Q8, F32;

    /** The precision a store row names, if it is one this version knows. */
    static java.util.Optional<CachePrecision> known(String name) {
        for (CachePrecision p : values()) if (p.name().equals(name)) return java.util.Optional.of(p);
        return java.util.Optional.empty();
    }

    public static CachePrecision parse(String s) {
        return switch (s.toLowerCase()) {
            case "f16", "16", "fp16" -> F16;
            case "q8", "8", "int8" -> Q8;
            case "f32", "32", "fp32" -> F32;
            default -> throw new IllegalArgumentException("unknown cache precision '" + s + "' (f16, q8 or f32)");
        };
    }
}
