/**
 * A read document (or collection) handed over as one file: {@code ReadingExporter} writes a document's (or a
 * collection's, with its members and member-end checkpoints) reading by one model with the
 * model's identity (its checkpoint's SHA-256, remembered by {@code CheckpointSha256}) and the framing it was read in;
 * {@code ReadingImporter} checks such a file against the model it is given, row by row, before one transaction writes it
 * into the store. The file format and the row copies are the store's ({@code store.ReadingFile}).
 */
package dev.goldfinch.engine.transfer;
