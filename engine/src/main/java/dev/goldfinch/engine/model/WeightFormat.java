package dev.goldfinch.engine.model;

/** How the large matrices are held: as stored in the checkpoint (f32/bf16, mapped), or quantized to int8 at load. */
public enum WeightFormat {
    STORED, INT8;

    public static WeightFormat parse(String s) {
        return switch (s.toLowerCase()) {
            case "stored", "bf16", "f32", "fp32", "native" -> STORED;
            case "int8", "q8" -> INT8;
            default -> throw new IllegalArgumentException("unknown weight format '" + s + "' (stored or int8)");
        };
    }
}
