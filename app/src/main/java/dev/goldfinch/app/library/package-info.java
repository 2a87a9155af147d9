/**
 * The use cases, shared by the window and the command line, with no UI in them: a {@link dev.goldfinch.app.library.Library}
 * of documents in one store (adding a file through a {@link dev.goldfinch.app.library.DocumentSource}, the state of each
 * reading, text, page map, conversations) and a {@link dev.goldfinch.app.library.Librarian}, one model at work on it
 * (reading, opening a read document, answering, finding an answer's sources with their pages). Threads, jobs and
 * JavaFX live in {@code ui}; argument parsing and printing in {@code cli}; the model math and the store in the engine.
 */
package dev.goldfinch.app.library;
