/**
 * Documents into text and a page map: {@link dev.goldfinch.ingest.Ingestor}, the module's one entry point, and what
 * it takes and gives ({@link dev.goldfinch.ingest.IngestOptions}, {@link dev.goldfinch.ingest.IngestedDocument}
 * with its {@link dev.goldfinch.ingest.PageSpan}s, {@link dev.goldfinch.ingest.ImportReport},
 * {@link dev.goldfinch.ingest.IngestException} and its reasons); the file being read,
 * {@link dev.goldfinch.ingest.Job}, with its limits and cancel flag (made only by the Ingestor, under the time
 * limit); the checks made before any parser runs (sizes, special files, the format by content and by name in
 * {@code Formats}, zip bombs in {@code ArchiveGuard}); the readers of everything that is not a PDF
 * ({@code PlainTextExtractor} with encoding detection and {@code TextSections} for the sections of text and
 * Markdown, {@code TikaExtractor}, with jsoup for HTML after
 * {@code HtmlProlog} has taken out an internal DTD); and what the readers share: {@code TextBuilder} (text and its
 * sections together), {@link dev.goldfinch.ingest.TextNormalizer}, {@link dev.goldfinch.ingest.LanguageGuesser}.
 * PDFs are read in {@link dev.goldfinch.ingest.pdf}, as passes, not here. The app and the command line use the
 * Ingestor and the types it takes and gives, never a reader.
 */
package dev.goldfinch.ingest;
