/**
 * Generation from a state: sampling (greedy, temperature, top-p) and the token-by-token loop with its stop
 * conditions. Prompt layouts and answers about a document are in {@code answer}.
 */
package dev.goldfinch.engine.generate;
