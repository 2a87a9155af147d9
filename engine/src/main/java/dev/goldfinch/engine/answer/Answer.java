package dev.goldfinch.engine.answer;

/**
 * A finished (or stopped) answer.
 *
 * @param text the answer, without its thinking
 * @param thinking what the model thought before answering (G1 with thinking on), "" when it did not think
 * @param tokens every token generated, thinking included
 * @param attentionMass attention weight the answer's rows put on each earlier position (document first), summed over
 *                      heads and attention layers; all zeros for models without attention layers. After a thought,
 *                      only the rows from the answer's start count (unless the thought never ended)
 */
public record Answer(String text, String thinking, int[] tokens, StopReason stopReason, double seconds, float[] attentionMass) {

    public enum StopReason { END_OF_TEXT, NEXT_TURN, LENGTH, CANCELLED }

    public double tokensPerSecond() {
        return seconds > 0 ? tokens.length / seconds : 0;
    }
}
