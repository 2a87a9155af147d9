/**
 * The hot loops, in the Vector API and plain Java, that know nothing of models: y = W·x for bf16/f32 weights
 * ({@link dev.goldfinch.engine.kernel.MatMul}) and int8 ones ({@link dev.goldfinch.engine.kernel.Int8Matrix},
 * {@link dev.goldfinch.engine.kernel.Int8MatMul}), the attention loops of one head with a bit-exact exp
 * ({@link dev.goldfinch.engine.kernel.AttentionKernel}), a fixed-order lane sum
 * ({@link dev.goldfinch.engine.kernel.Reduce}), the NaN/infinity scan of stored weights
 * ({@link dev.goldfinch.engine.kernel.NonFinite}) and the worker threads they split work over
 * ({@link dev.goldfinch.engine.kernel.Parallel}). {@link dev.goldfinch.engine.kernel.Vectors} decides the one vector
 * width they all run at (the CPU's preferred, or -Dgoldfinch.vectorBits). What the loops compute for a model lives in
 * {@code dev.goldfinch.engine.model}, the WKV-6 and WKV-7 recurrences included ({@code Wkv}, {@code Wkv7}: their loops
 * follow one layer kind's math, and take their species from {@code Vectors} too).
 */
package dev.goldfinch.engine.kernel;
