/**
 * Reading documents into the store with one model: pre-fill in chunks with resumable checkpoints, the complete
 * reading written in one transaction, a saved reading reopened without one recurrent step, and a damaged one
 * salvaged from its last intact checkpoint. What a document's tokens are for a model is {@code DocumentTurn}'s.
 */
package dev.goldfinch.engine.reading;
