package dev.goldfinch.engine.model;

/**
 * What the blocks of one forward call share: the absolute position of its first row, and the state whose
 * TOVA budget and attention counters the attention layers use.
 */
record Step(int start, InferenceState state) {
}
