package dev.goldfinch.engine.model;

/** A time mix or channel mix: maps this block's normalised input [T, D] to the residual update [T, D]. */
interface Mixer {
    float[] forward(float[] y, int rows, LayerState state, Step step);

    /**
     * Every linear map forward applies to each row, LoRA factors included, once per application (Finch-C2 applies its
     * value map twice): what {@link CostModel} counts.
     */
    java.util.List<Linear> products();

    /**
     * The linear maps that make a new cached position's key and value outside forward (GOLD: from the compressed
     * cache): they run over every document position, even in the linear-time pre-fill.
     */
    default java.util.List<Linear> keyValueProducts() {
        return java.util.List.of();
    }
}
