package dev.goldfinch.engine.answer;

/** A finished (or stopped) answer. */
public record Answer(String text, int[] tokens, StopReason stopReason, double seconds) {

    public enum StopReason { END_OF_TEXT, NEXT_TURN, LENGTH, CANCELLED }

    public double tokensPerSecond() {
        return seconds > 0 ? tokens.length / seconds : 0;
    }
}
