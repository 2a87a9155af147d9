/**
 * The model math, one class per concept: the configuration read from a checkpoint's shapes, one class per layer kind
 * (Finch and GoldFinch time mixes, RWKV-7, the GOLD attention, channel mixes, the Llama baseline), the per-document
 * working state and what of it is saved, pre-fill in chunks, int8 weights, what a token costs a loaded model
 * ({@code CostModel}: weight bytes and FLOPs), and random models of the real shapes.
 * The hot loops they call (matmul, attention, lane sums) are in {@code kernel}; the WKV-6 and WKV-7 recurrences
 * ({@code Wkv}, {@code Wkv7}) are here, at the vector width {@code kernel.Vectors} sets for all. The math is
 * {@code ../shared/spec/goldfinch-model.md} and {@code rwkv7-model.md}.
 */
package dev.goldfinch.engine.model;
