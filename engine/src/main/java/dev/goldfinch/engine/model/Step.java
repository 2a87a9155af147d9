package dev.goldfinch.engine.model;

/**
 * What the blocks of one forward call share: the absolute position of its first row, the state whose TOVA budget
 * and attention counters the attention layers use, and RWKV-7's value residual, which crosses layers.
 */
final class Step {
    final int start;
    final InferenceState state;
    /** RWKV-7: layer 0's values v [rows, C] of this call's rows, mixed into every later layer's values. */
    float[] valueFirst;

    Step(int start, InferenceState state) {
        this.start = start;
        this.state = state;
    }

    int start() {
        return start;
    }

    InferenceState state() {
        return state;
    }
}
