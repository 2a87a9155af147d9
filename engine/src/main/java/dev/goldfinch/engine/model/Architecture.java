package dev.goldfinch.engine.model;

/** A model family: which layer kinds it stacks, in which order. */
public enum Architecture {
    FINCH("finch"),
    FINCH_C2("finchc2"),
    GOLDFINCH("goldfinch"),
    /** A Finch model upgraded with GOLD layers (x060 then GOLD). */
    GOLDFINCH_UPGRADE("goldfinch_upgrade"),
    LLAMA("llama"),
    /** RWKV-7 "Goose" (x070): the World and G1 models. */
    RWKV7("rwkv7");

    public final String id;

    Architecture(String id) {
        this.id = id;
    }

    /** True for the hybrids, whose attention cache is the compressed cache cc_t. */
    public boolean hasCompressedCache() {
        return this == GOLDFINCH || this == GOLDFINCH_UPGRADE;
    }

    public boolean isRecurrentOnly() {
        return this == FINCH || this == FINCH_C2 || this == RWKV7;
    }
}
