package dev.goldfinch.app.ui.service;

import java.nio.file.Path;

/** The model in use, as the status bar shows it. */
public record ModelInfo(Path checkpoint, Path vocabulary, String name, String description, long fileBytes, int threads) {
}
