package dev.goldfinch.engine.answer;

import dev.goldfinch.engine.generate.Generator;
import dev.goldfinch.engine.generate.SamplingOptions;

/**
 * How to answer: sampling, answer length limit (thinking included), prompt layout, the TOVA budget (0 = full
 * attention), and whether a G1 model thinks first (off: the empty "fake think", fast and good; other layouts ignore it).
 */
public record AnswerOptions(SamplingOptions sampling, int maxTokens, PromptLayout layout, int tovaBudget, boolean think) {

    public AnswerOptions {
        java.util.Objects.requireNonNull(sampling, "sampling");
        java.util.Objects.requireNonNull(layout, "layout");
        String problem = Generator.maxNewProblem(maxTokens);
        if (problem != null) throw new IllegalArgumentException("the answer length " + problem);
        if (tovaBudget < 0) throw new IllegalArgumentException("the TOVA budget must be 0 (unbounded) or more, not " + tovaBudget);
    }

    public AnswerOptions(SamplingOptions sampling, int maxTokens, PromptLayout layout, int tovaBudget) {
        this(sampling, maxTokens, layout, tovaBudget, false);
    }

    public static AnswerOptions defaults() {
        return new AnswerOptions(new SamplingOptions(0.7, 0.85, 0, 0.3, 0.3, 42), 256, PromptLayout.PLAIN, 0);
    }

    public AnswerOptions withLayout(PromptLayout l) {
        return new AnswerOptions(sampling, maxTokens, l, tovaBudget, think);
    }
}
