package dev.goldfinch.app.models;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Downloads model checkpoints and the vocabulary over HTTP(S), the way a person on a laptop needs it:
 * <ul>
 *   <li>into {@code FILE.part} beside the target, moved into place (atomically) only once complete and verified, so a
 *       file with the final name is always whole ({@link PartialDownload}, {@link FileDownload});</li>
 *   <li>pausable from another thread ({@link DownloadHandle#cancel()}) and resumable with an HTTP Range request
 *       (206), also after a crash; a server that ignores Range (200) or whose file changed (If-Range, size) makes it
 *       start over, a 416 is checked against what is there;</li>
 *   <li>the free disk space is checked before the first byte is written ({@link DownloadOptions});</li>
 *   <li>the SHA-256 and the size are checked against what the catalogue (or the repository's listing) says and what
 *       the server's own record says ({@link ServerRecord}, read from the redirect before following it: {@link HttpGet}):
 *       a catalogue and a server that disagree stop the download before it starts; bytes that match neither are
 *       deleted ({@link ExpectedFile}). With no SHA-256 from anyone the file is kept but reported unverified
 *       ({@link DownloadedFile#verifiedBy()} null);</li>
 *   <li>the SHA-256 is computed while the bytes arrive (what a paused download kept is re-read first:
 *       {@link RunningSha256}, {@link BodyReceiver});</li>
 *   <li>one download of a file at a time ({@link DownloadLock});</li>
 *   <li>every failure is a {@link DownloadException} with one line that says what happened, naming the host.</li>
 * </ul>
 * Which file a catalogue entry downloads is decided first ({@link #resolve}, {@link FileResolver}); where it goes and
 * what is already there is {@link ModelsFolder}. A downloader holds one HTTP client; close it when done. Its methods
 * block: call them off a UI thread.
 */
public final class ModelDownloader implements AutoCloseable {
    private final DownloadOptions options;
    private final HttpGet http;

    public ModelDownloader() {
        this(DownloadOptions.defaults());
    }

    public ModelDownloader(DownloadOptions options) {
        this.options = Objects.requireNonNull(options);
        this.http = new HttpGet(options);
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * Which file the entry downloads this time (see {@link FileResolver}): asks the repository's listing when the
     * entry has a rule. Show {@link ResolvedFile#found()} to the person downloading.
     */
    public ResolvedFile resolve(ModelCatalogue.Entry entry, DownloadHandle handle) throws DownloadException {
        DownloadHandle h = handle == null ? new DownloadHandle() : handle;
        return FileResolver.resolve(entry, options.hub(), address -> http.text(address, h));
    }

    /**
     * Downloads a catalogue entry and the vocabulary into {@code modelsDir}: a checkpoint already in place is used as
     * it is (checked again against the catalogue's SHA-256 when it is the catalogue's file), else the file is
     * resolved ({@link #resolve}) and downloaded. See {@link #downloadModel(ModelCatalogue, ResolvedFile, Path, Consumer, DownloadHandle)}.
     */
    public InstalledModel downloadModel(ModelCatalogue catalogue, ModelCatalogue.Entry entry, Path modelsDir,
                                        Consumer<DownloadProgress> progress, DownloadHandle handle) throws DownloadException {
        return downloadModel(catalogue, entry, modelsDir, progress, handle, found -> { });
    }

    /** As above; {@code found} hears {@link ResolvedFile#found()} (when not empty) before the transfer begins. */
    public InstalledModel downloadModel(ModelCatalogue catalogue, ModelCatalogue.Entry entry, Path modelsDir,
                                        Consumer<DownloadProgress> progress, DownloadHandle handle, Consumer<String> found) throws DownloadException {
        Optional<Path> present = ModelsFolder.checkpointIn(entry, modelsDir);
        ResolvedFile file;
        if (present.isPresent()) { // in place: used as it is, not replaced by a newer file of the listing
            String name = present.get().getFileName().toString();
            boolean cataloguesFile = name.equals(entry.file());
            file = new ResolvedFile(entry, name, cataloguesFile ? URI.create(entry.url()) : present.get().toUri(),
                    cataloguesFile ? entry.downloadBytes() : 0, cataloguesFile ? entry.sha256() : null, "the catalogue", "");
        } else {
            file = resolve(entry, handle);
        }
        if (!file.found().isEmpty()) found.accept(file.found());
        return downloadModel(catalogue, file, modelsDir, progress, handle);
    }

    /**
     * Downloads a resolved checkpoint and the vocabulary into {@code modelsDir} (files already in place are kept; a
     * vocabulary whose checksum is wrong is replaced), checking first that both fit on the disk. Beside the
     * checkpoint goes its {@link CheckpointJson} (its kind, where it came from, how it was checked); what earlier
     * downloads into the entry's folder left unfinished is then deleted.
     */
    public InstalledModel downloadModel(ModelCatalogue catalogue, ResolvedFile file, Path modelsDir,
                                        Consumer<DownloadProgress> progress, DownloadHandle handle) throws DownloadException {
        ModelCatalogue.Entry entry = file.entry();
        Path ckpt = ModelsFolder.entryFolder(entry, modelsDir).resolve(file.file());
        Path vocab = ModelsFolder.vocabPath(catalogue, modelsDir);
        ModelCatalogue.Tokenizer tok = catalogue.tokenizer();
        CreatedFolders folders = CreatedFolders.of(ckpt.getParent());
        DownloadedFile model;
        try {
            long need = ModelsFolder.stillToCome(ckpt, file.expectedBytes()) + ModelsFolder.stillToCome(vocab, tok.bytes());
            if (need > 0) options.requireSpace(modelsDir, need, entry.name());
            download(new FileRequest(URI.create(tok.url()), vocab, tok.sha256(), tok.bytes()), progress, handle);
            model = download(new FileRequest(file.url(), ckpt, file.sha256(), entry.expectedBytes(), file.exactBytes(), file.source()), progress, handle);
        } catch (DownloadException | RuntimeException e) {
            folders.removeEmpty(); // a folder that keeps a resumable .part (or the vocabulary) stays
            throw e;
        }
        if (model.alreadyPresent()) {
            String verifiedBy = model.verified() ? model.verifiedBy() : CheckpointJson.verifiedBy(ckpt);
            return new InstalledModel(entry, ckpt, vocab, verifiedBy, file.found());
        }
        CheckpointJson.write(ckpt, file, model);
        ModelsFolder.removeLeftovers(ckpt);
        return new InstalledModel(entry, ckpt, vocab, model.verifiedBy(), file.found());
    }

    /**
     * Fetches one file (see the class comment and {@link FileDownload}). A target already in place is kept if its
     * checksum matches, or without looking when no checksum is known. A download that fails or is paused keeps its
     * {@code .part} only when it holds bytes to resume from, and removes the folders it made that are left empty. {@code progress} and {@code handle} may be null.
     *
     * @throws DownloadException of kind {@link Kind#PAUSED} when cancelled through the handle or by interrupting the
     *                           thread; otherwise a one-line reason
     */
    public DownloadedFile download(FileRequest request, Consumer<DownloadProgress> progress, DownloadHandle handle) throws DownloadException {
        Path target = request.target().toAbsolutePath();
        CreatedFolders folders = CreatedFolders.of(target.getParent());
        try {
            FileDownload file = new FileDownload(request.withTarget(target), options, http,
                    progress == null ? p -> { } : progress, handle == null ? new DownloadHandle() : handle);
            return DownloadLock.holding(target, file::run);
        } catch (DownloadException | RuntimeException e) {
            folders.removeEmpty();
            throw e;
        }
    }
}
