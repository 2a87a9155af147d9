package dev.goldfinch.app.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * Where downloaded models live, and what is there: {@code MODELS/<id>/<checkpoint>.pth} with its
 * {@link CheckpointJson} beside it, one folder per catalogue entry, and the vocabulary that every model shares at
 * {@code MODELS/<vocabulary>}. A file with its final name is always a whole, verified download (a download in
 * progress is a {@code .part}, see {@link PartialDownload}), so what is in place can be used without looking inside.
 */
public final class ModelsFolder {
    private ModelsFolder() {
    }

    /** Where downloaded models go unless the settings say otherwise: $XDG_DATA_HOME/goldfinch/models, else ~/.local/share/goldfinch/models. */
    public static Path defaultModelsDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("goldfinch").resolve("models");
    }

    /**
     * The folder of an entry's checkpoint ({@code MODELS/<id>/}): a folder per entry, since the file's name is decided
     * at download time and two paper checkpoints may share one ({@code rwkv-final.pth}).
     */
    public static Path entryFolder(ModelCatalogue.Entry entry, Path modelsDir) {
        return modelsDir.resolve(entry.id());
    }

    /** The vocabulary, one for every model: {@code MODELS/rwkv_vocab_v20230424.txt}. */
    public static Path vocabPath(ModelCatalogue catalogue, Path modelsDir) {
        return modelsDir.resolve(catalogue.tokenizer().file());
    }

    /**
     * The entry's files if both are in place (a finished download), else empty. The checkpoint is the catalogue's file
     * if it is there, else the newest {@code .pth} in the entry's folder (a file found in a listing).
     */
    public static Optional<InstalledModel> installed(ModelCatalogue catalogue, ModelCatalogue.Entry entry, Path modelsDir) {
        Path vocab = vocabPath(catalogue, modelsDir);
        if (!Files.isRegularFile(vocab)) return Optional.empty();
        return checkpointIn(entry, modelsDir).map(ckpt -> new InstalledModel(entry, ckpt, vocab, CheckpointJson.verifiedBy(ckpt), ""));
    }

    /** The entry's checkpoint in place: the catalogue's file if it is there, else the newest {@code .pth} of its folder. */
    static Optional<Path> checkpointIn(ModelCatalogue.Entry entry, Path modelsDir) {
        Path folder = entryFolder(entry, modelsDir);
        if (entry.file() != null && Files.isRegularFile(folder.resolve(entry.file()))) return Optional.of(folder.resolve(entry.file()));
        return LocalFiles.filesIn(folder, ".pth").max(Comparator.comparing(p -> p.getFileName().toString(), FileResolver.NEWEST));
    }

    /** Bytes a paused or broken download of the entry's checkpoint kept (0 if none): what "Resume" continues from. */
    public static long partialBytes(ModelCatalogue.Entry entry, Path modelsDir) {
        return LocalFiles.filesIn(entryFolder(entry, modelsDir), ".pth.part").mapToLong(LocalFiles::sizeOrZero).max().orElse(0);
    }

    /** Bytes still to come for a file of {@code size} bytes: none when it is in place, else what its {@code .part} lacks. */
    static long stillToCome(Path target, long size) {
        if (Files.isRegularFile(target)) return 0;
        return Math.max(0, size - LocalFiles.sizeOrZero(PartialDownload.partFile(target)));
    }

    /** Unfinished downloads of other files in the checkpoint's folder (an older file of a listing): of no use now. */
    static void removeLeftovers(Path checkpoint) {
        String keep = checkpoint.getFileName().toString();
        for (Path p : LocalFiles.filesIn(checkpoint.getParent(), ".part").toList()) {
            if (!p.getFileName().toString().startsWith(keep + ".")) {
                LocalFiles.deleteQuietly(p);
                LocalFiles.deleteQuietly(p.resolveSibling(p.getFileName() + ".meta"));
            }
        }
    }
}
