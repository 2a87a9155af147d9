package dev.goldfinch.engine.model;

/**
 * What every GOLD layer derives its keys and values from, for positions start … start+rows−1: xo = rmsnorm(x0)
 * and kc = rmsnorm(w_kv_cache_b·[x0, cc]), each with its predecessor row (zeros before position 0).
 */
record GoldInputs(int start, int rows, float[] xo, float[] xoPrev, float[] kc, float[] kcPrev) {
}
