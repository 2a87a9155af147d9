/**
 * The JavaFX application: its launcher and settings, and {@code ReaderWindow}, which lays out the main window and
 * wires it to the controllers in {@code controller}; the panes and dialogs are in {@code view}, the threads and jobs
 * in {@code service}. The use cases themselves are in {@code app.library}.
 */
package dev.goldfinch.app.ui;
