/**
 * The {@code goldfinch} command line (picocli), one command per file: argument parsing, then calls into
 * {@code library} (ask) or the engine (tokenize, logits, prefill, generate, info, cache-stats); the benchmarks are in
 * {@code cli.bench}. Every failure is one line on standard error and a non-zero exit.
 */
package dev.goldfinch.app.cli;
