/**
 * The models the app offers and their downloads, with no UI in them. The catalogue: {@link
 * dev.goldfinch.app.models.ModelCatalogue} (a data file: what each model is and costs), what fits and reads fast enough
 * on this machine ({@code MachineMemory}, {@code MachineSpeed}, {@code ReadingTime}) and the one to suggest
 * ({@code Recommendation}). The downloads, through {@link dev.goldfinch.app.models.ModelDownloader}, the entry point:
 * which file an entry downloads ({@code FileResolver}, asking the repository's listing), where models live and what
 * is there ({@code ModelsFolder}, with a {@code CheckpointJson} beside each checkpoint), and one file's transfer in
 * small parts ({@code FileDownload} runs them: {@code HttpGet}, {@code PartialDownload}, {@code BodyReceiver},
 * {@code RunningSha256}, {@code ExpectedFile} with {@code ServerRecord}, {@code DownloadLock}); what a caller passes and
 * gets ({@code DownloadOptions}, {@code FileRequest}, {@code DownloadHandle}, {@code DownloadProgress},
 * {@code InstalledModel}, {@code DownloadException}). Not here: the download dialog and the {@code download} command
 * (in {@code ui.view} and {@code cli}), and loading a downloaded checkpoint (the engine's).
 */
package dev.goldfinch.app.models;
