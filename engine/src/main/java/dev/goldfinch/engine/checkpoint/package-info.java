/**
 * PyTorch {@code .pth} checkpoints read directly: the ZIP index, a restricted unpickler that builds nothing but
 * tensor references (a pickle never runs code here), and tensors memory-mapped from the file; the writer used by the
 * tests and the benchmarks to make checkpoints. The model that reads the tensors is in {@code model}.
 */
package dev.goldfinch.engine.checkpoint;
