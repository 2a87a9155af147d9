package dev.goldfinch.app.models;

import java.util.Locale;

/**
 * How long a model takes to read (pre-fill) a document on a machine that sustains {@code flopsPerSecond} in the
 * engine's matrix kernels. Pre-fill costs about 2 FLOPs per weight per token (a multiply and an add), counting the
 * weights a token goes through ({@link ModelCatalogue.Entry#matrixParameters}); the recurrent state updates and a
 * hybrid's attention are small beside it at these lengths and are left out. An estimate from the shape, not a
 * measurement of the model: good to tell a 10-minute model from a 2-hour one.
 */
public record ReadingTime(double flopsPerSecond, int vocabTokens) {

    /** A 100-page document, in tokens: the yardstick the recommendation and the lists use. */
    public static final long DOCUMENT_TOKENS = 50_000;

    /** The longest reading of that document the recommendation accepts. */
    public static final double LIMIT_SECONDS = 30 * 60;

    public ReadingTime {
        if (!(flopsPerSecond > 0)) throw new IllegalArgumentException("not a FLOP rate: " + flopsPerSecond);
    }

    /** For the models of this catalogue (their vocabulary) on a machine of this speed. */
    public static ReadingTime of(ModelCatalogue catalogue, double flopsPerSecond) {
        return new ReadingTime(flopsPerSecond, catalogue.tokenizer().tokens());
    }

    public double flopsPerToken(ModelCatalogue.Entry e) {
        return 2.0 * e.matrixParameters(vocabTokens);
    }

    /** Seconds to read {@code tokens} tokens. */
    public double seconds(ModelCatalogue.Entry e, long tokens) {
        return flopsPerToken(e) * tokens / flopsPerSecond;
    }

    /** Seconds to read the 100-page yardstick document. */
    public double documentSeconds(ModelCatalogue.Entry e) {
        return seconds(e, DOCUMENT_TOKENS);
    }

    /** Whether the yardstick document takes at most {@link #LIMIT_SECONDS}. */
    public boolean fastEnough(ModelCatalogue.Entry e) {
        return documentSeconds(e) <= LIMIT_SECONDS;
    }

    /** "about 14 min", "about 2 h 10 min", "under 1 min": an estimate, said as one. */
    public static String describe(double seconds) {
        if (seconds < 60) return "under 1 min";
        long minutes = Math.round(seconds / 60);
        if (minutes < 60) return "about " + minutes + " min";
        return minutes % 60 == 0 ? "about " + minutes / 60 + " h" : "about " + minutes / 60 + " h " + minutes % 60 + " min";
    }

    /** "320 GFLOP/s": the rate, as the lists show it. */
    public String rate() {
        return String.format(Locale.ROOT, "%.0f GFLOP/s", flopsPerSecond / 1e9);
    }
}
