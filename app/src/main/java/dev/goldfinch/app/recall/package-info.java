/**
 * The recall check: how far back a model recalls a fact from a long document. A short, unique fact is planted at a
 * depth of a neutral public-domain text ({@link NeutralText}, {@link FactPlanter}), the document is read into a
 * store through the library and opened again from it, the model is asked for the fact and its answer scored
 * ({@link RecallScore}); the grid of lengths × depths ({@link RecallGrid}) is kept per model in the store, judged
 * per length ({@link RecallVerdict}) and drawn ({@link HeatMapPng}). {@link RecallCheck} runs it.
 */
package dev.goldfinch.app.recall;
