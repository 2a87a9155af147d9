package dev.goldfinch.app.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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

    /**
     * Every checkpoint in the models folder: the {@code .pth} files of its entry folders ({@code MODELS/<id>/}) and of the
     * folder itself, by name. Each is read with the vocabulary beside it, else the shared one ({@link #vocabPath}).
     */
    public static List<LocalModel> list(ModelCatalogue catalogue, Path modelsDir) {
        List<Path> folders = new ArrayList<>(List.of(modelsDir));
        if (Files.isDirectory(modelsDir)) {
            try (Stream<Path> s = Files.list(modelsDir)) {
                s.filter(Files::isDirectory).sorted().forEach(folders::add);
            } catch (IOException unreadable) {
                // only what the folder itself holds
            }
        }
        Path shared = vocabPath(catalogue, modelsDir);
        List<LocalModel> models = new ArrayList<>();
        for (Path folder : folders) {
            LocalFiles.filesIn(folder, ".pth").sorted().forEach(ckpt -> {
                Path beside = ckpt.resolveSibling(catalogue.tokenizer().file());
                models.add(new LocalModel(nameOf(catalogue, ckpt, modelsDir), ckpt, Files.isRegularFile(beside) ? beside : shared, LocalFiles.sizeOrZero(ckpt)));
            });
        }
        models.sort(Comparator.comparing(LocalModel::name, String.CASE_INSENSITIVE_ORDER));
        return models;
    }

    /** The catalogue's name of an entry folder's checkpoint, else the name in its JSON, else the file's stem. */
    private static String nameOf(ModelCatalogue catalogue, Path ckpt, Path modelsDir) {
        Path folder = ckpt.getParent();
        if (!folder.equals(modelsDir)) {
            Optional<ModelCatalogue.Entry> entry = catalogue.byId(folder.getFileName().toString());
            if (entry.isPresent()) return entry.get().name();
        }
        return CheckpointJson.name(ckpt).orElse(ckpt.getFileName().toString().replaceFirst("\\.pth$", ""));
    }

    /**
     * Deletes a model of the folder: its checkpoint, the JSON beside it and what an unfinished download of it left,
     * then its entry folder if that is empty. The shared vocabulary stays (other models read with it).
     */
    public static void delete(LocalModel model, Path modelsDir) throws IOException {
        Path ckpt = model.checkpoint();
        try {
            Files.deleteIfExists(ckpt);
        } catch (IOException e) {
            throw new IOException("cannot delete " + ckpt + ": " + DownloadException.reason(e), e);
        }
        LocalFiles.deleteQuietly(CheckpointJson.path(ckpt));
        LocalFiles.deleteQuietly(PartialDownload.partFile(ckpt));
        LocalFiles.deleteQuietly(PartialDownload.metaFile(ckpt));
        Path folder = ckpt.getParent();
        if (!folder.toAbsolutePath().normalize().equals(modelsDir.toAbsolutePath().normalize())) LocalFiles.deleteIfEmpty(folder);
    }
}
