/**
 * The window's work off the JavaFX thread: {@code ReaderService} runs the library's use cases on a model thread,
 * an import thread and a store thread and hands results back as futures and {@link dev.goldfinch.app.ui.service.Job}s
 * (cancellable); a conversation's follow-up memory and the reading progress relay live beside it. No JavaFX nodes.
 */
package dev.goldfinch.app.ui.service;
