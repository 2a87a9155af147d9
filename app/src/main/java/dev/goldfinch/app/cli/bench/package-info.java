/**
 * {@code goldfinch bench}: one command class per benchmark (memory, decode, matmul, prefill, tova, reload) under the
 * parent {@link dev.goldfinch.app.cli.bench.BenchCommand}, the options they share as picocli mixins
 * ({@link dev.goldfinch.app.cli.bench.BenchOptions}: threads, the random checkpoints' folder, seed, vocabulary, the
 * bandwidth probe; {@link dev.goldfinch.app.cli.bench.RandomModelOptions}: shape, architecture, weights), and
 * {@link dev.goldfinch.app.cli.bench.MachineLimits}, the machine's measured limits that every result is printed next
 * to, after the machine line each benchmark starts with. What a token costs a model (weight bytes, FLOPs) is not
 * counted here but in the engine ({@code dev.goldfinch.engine.model.CostModel}), and the random models come from
 * {@code RandomModels}; the other commands of the command line live in {@code dev.goldfinch.app.cli}.
 */
package dev.goldfinch.app.cli.bench;
