package dev.goldfinch.app.models;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A catalogue model on disk: the checkpoint and the vocabulary that goes with it; {@code verifiedBy} as in
 * {@link DownloadedFile} (null: unverified, or not checked again because it was in place), {@code found} the line of
 * {@link ResolvedFile#found()} ("" when there was nothing to say).
 */
public record InstalledModel(ModelCatalogue.Entry entry, Path checkpoint, Path vocab, String verifiedBy, String found) {

    /** The one line "not verified: …" to show after a download, or empty when the checkpoint was verified. */
    public Optional<String> unverifiedWarning() {
        return verifiedBy != null ? Optional.empty() : Optional.of("not verified: neither the catalogue nor the server gave a SHA-256 for "
                + checkpoint.getFileName() + ", so it could not be checked");
    }
}
