package dev.goldfinch.app.ui.service;

import dev.goldfinch.engine.answer.Answer;
import java.util.List;

/** An answer and the passages of the document it drew on (empty for models without attention layers). */
public record Reply(Answer answer, List<Source> sources) {
}
