/**
 * Tensors as the checkpoint stores them (bf16, f16, f32), memory-mapped, with their shapes and the conversions the
 * kernels read them through.
 */
package dev.goldfinch.engine.tensor;
