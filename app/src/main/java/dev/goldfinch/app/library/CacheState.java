package dev.goldfinch.app.library;

/** Where a document stands with the model in use. */
public enum CacheState {
    /** No cache for this model yet. */
    NOT_READ,
    /** Being read now. */
    READING,
    /** Partly read (a reading was cancelled or interrupted); it resumes from its last checkpoint. */
    PAUSED,
    /** Its cache is complete: questions are answered without reading it again. */
    READY,
    /** Its cache was made for another model, another prompt layout (G1 or not) or another version of the text: it must be read again. */
    OUT_OF_DATE
}
