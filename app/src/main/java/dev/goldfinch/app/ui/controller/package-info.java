/**
 * The main window's controllers, one concern each: the model's lifecycle ({@code ModelController}), adding documents
 * ({@code ImportController}), readings and their progress ({@code ReadingController}), the library pane and removal
 * ({@code LibraryController}), the settings and theme ({@code SettingsController}). Each works through the
 * {@link dev.goldfinch.app.ui.controller.WindowShell} and the {@code ReaderService}; none touches the store. The
 * window ({@code ReaderWindow}) lays out the panes and wires them to these; the panes and dialogs are in {@code view}.
 */
package dev.goldfinch.app.ui.controller;
