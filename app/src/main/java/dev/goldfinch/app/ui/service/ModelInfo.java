package dev.goldfinch.app.ui.service;

import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.WeightFormat;
import java.nio.file.Path;

/**
 * The model in use, as the status bar shows it; weights says whether its matrices are held as stored or as int8, layout
 * how documents are read and questions put to it (its own template, else the layout setting).
 */
public record ModelInfo(Path checkpoint, Path vocabulary, String name, String description, long fileBytes, int threads, WeightFormat weights,
                        PromptLayout layout) {
}
