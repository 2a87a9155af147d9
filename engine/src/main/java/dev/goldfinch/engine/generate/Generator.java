package dev.goldfinch.engine.generate;

import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/** Feeds a prompt, then generates token by token, streaming each token to a listener; cancellable between tokens. */
public final class Generator {

    /** Receives each generated token as soon as it is chosen. */
    @FunctionalInterface
    public interface TokenListener {
        void onToken(int token);
    }

    /**
     * The most tokens one call may be asked for: far more than any answer, and small enough that asking for it
     * costs nothing up front (the output grows with what is generated).
     */
    public static final int MAX_NEW_TOKENS = 1 << 20;

    private final Model model;

    /** Null if {@code n} is a number of tokens to generate, else what is wrong with it ("must be …, not 0"). */
    public static String maxNewProblem(int n) {
        return n >= 1 && n <= MAX_NEW_TOKENS ? null : "must be between 1 and " + MAX_NEW_TOKENS + ", not " + n;
    }

    public Generator(Model model) {
        this.model = model;
    }

    /**
     * Appends prompt to state, then generates up to maxNew tokens. Stops early when stop says so for a token
     * (that token is not returned or fed) or when cancelled. The state ends after the last returned token's logits
     * were computed, i.e. with every returned token but the last one fed.
     */
    public int[] generate(InferenceState state, int[] prompt, int maxNew, SamplingOptions options, IntPredicate stop,
                          TokenListener listener, BooleanSupplier cancelled) {
        String problem = maxNewProblem(maxNew);
        if (problem != null) throw new IllegalArgumentException("the number of new tokens " + problem);
        float[] logits = model.forward(state, prompt, 0, prompt.length, Model.Logits.LAST);
        Sampler sampler = new Sampler(options, model.config().vocab());
        int[] out = new int[Math.min(maxNew, 256)];
        int n = 0;
        while (n < maxNew && !cancelled.getAsBoolean()) {
            int token = sampler.next(logits);
            if (stop.test(token)) break;
            if (n == out.length) out = Arrays.copyOf(out, (int) Math.min(maxNew, 2L * n));
            out[n++] = token;
            listener.onToken(token);
            if (n < maxNew) logits = model.forward(state, new int[] {token}, 0, 1, Model.Logits.LAST);
        }
        return Arrays.copyOf(out, n);
    }
}
