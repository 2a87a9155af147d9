package dev.goldfinch.engine.store;

/**
 * What a reading export says about itself: what it holds (a document or a collection), who made it and when, the
 * model it was read with (the checkpoint's file name, size, SHA-256 and the store's identity of it, and its shapes) and
 * how the document was framed for it (the prompt layout whose document tokens were read: plain and chat read the stored
 * tokens, g1 a System turn). An import checks every field against the model it is given before it trusts a row.
 */
public record ReadingManifest(String kind, long createdAt, String madeBy, String modelFile, long modelSize, String modelSha256,
                              String modelIdentity, String architecture, int layers, int dModel, int attWidth, int ccWidth, int vocab,
                              String description, String framing) {

    /** A single document (format 1). */
    public static final String DOCUMENT = "document";
    /** A collection: its documents row, its members and its reading's member-end checkpoints (format 2). */
    public static final String COLLECTION = "collection";

    long checksum() {
        return RowChecksum.of().add(kind).add(createdAt).add(madeBy).add(modelFile).add(modelSize).add(modelSha256).add(modelIdentity)
                .add(architecture).add(layers).add(dModel).add(attWidth).add(ccWidth).add(vocab).add(description).add(framing).value();
    }
}
