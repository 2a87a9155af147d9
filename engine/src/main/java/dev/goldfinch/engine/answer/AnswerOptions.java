package dev.goldfinch.engine.answer;

import dev.goldfinch.engine.generate.SamplingOptions;

/** How to answer: sampling, answer length limit, prompt layout and the TOVA budget (0 = full attention). */
public record AnswerOptions(SamplingOptions sampling, int maxTokens, PromptLayout layout, int tovaBudget) {

    public static AnswerOptions defaults() {
        return new AnswerOptions(new SamplingOptions(0.7, 0.85, 0, 0.3, 0.3, 42), 256, PromptLayout.PLAIN, 0);
    }
}
