package dev.goldfinch.engine.model;

/**
 * What every GOLD layer derives its keys and values from, for positions start … start+rows−1: xo = rmsnorm(x0)
 * and kc = rmsnorm(w_kv_cache_b·[x0, cc]), and their token-shift differences dxo = xo_{t−1} − xo_t and
 * dkc = kc_{t−1} − kc_t (zeros before position 0), made once for all the layers.
 */
record GoldInputs(int start, int rows, float[] xo, float[] dxo, float[] kc, float[] dkc) {
}
