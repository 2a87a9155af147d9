package dev.goldfinch.engine.answer;

/**
 * A finished (or stopped) answer.
 *
 * @param attentionMass attention weight the answer's rows put on each earlier position (document first), summed over
 *                      heads and attention layers; all zeros for models without attention layers
 */
public record Answer(String text, int[] tokens, StopReason stopReason, double seconds, float[] attentionMass) {

    public enum StopReason { END_OF_TEXT, NEXT_TURN, LENGTH, CANCELLED }

    public double tokensPerSecond() {
        return seconds > 0 ? tokens.length / seconds : 0;
    }
}
