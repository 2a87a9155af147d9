package dev.goldfinch.app.ui.service;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.engine.answer.Answer;
import java.util.List;

/**
 * An answer and the passages of the document behind it, of the kind the model's sources are ({@code sourceKind}:
 * where a hybrid's attention went, or the passages matching a recurrent model's answer; the list may be empty).
 * {@code startPosition} is where the state stood before the question (the document's length for a fresh question,
 * further on for a follow-up), {@code position} where it stands after the answer; {@code continued} tells whether
 * the question continued a conversation's state instead of starting from the document.
 */
public record Reply(Answer answer, List<Source> sources, Source.Kind sourceKind, int startPosition, int position, boolean continued) {
    public Reply(Answer answer, List<Source> sources) {
        this(answer, sources, Source.kindOf(sources), -1, -1, false);
    }

}
