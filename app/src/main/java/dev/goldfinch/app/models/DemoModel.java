package dev.goldfinch.app.models;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.io.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model to try the app with before downloading one: a GoldFinch of random weights (L3-D64: two Finch-C2 layers and
 * one GOLD layer, so readings, answers and cited sources all work) with the real World vocabulary, written into the
 * models folder as {@code MODELS/demo-random-noise/demo-random-noise.pth}. Its answers are noise, and its name says so.
 * It is about 17 MB: the embedding and the head of 65,536 tokens at the smallest width (64) are most of it.
 */
public final class DemoModel {
    public static final String ID = "demo-random-noise";
    public static final String NAME = "Demo model (random weights: its answers are noise)";
    static final int LAYERS = 3, WIDTH = 64;
    private static final long SEED = 20241;

    private DemoModel() {
    }

    /** Where the demo model goes in a models folder. */
    public static Path checkpoint(Path modelsDir) {
        return modelsDir.resolve(ID).resolve(ID + ".pth");
    }

    /**
     * Writes the demo model into {@code modelsDir} (replacing an earlier one) and puts the vocabulary where the
     * folder's models read it, unless it is there already. {@code vocabulary} must be the World vocabulary of the
     * catalogue: a file that is not is refused in one line before anything is written.
     */
    public static LocalModel write(ModelCatalogue catalogue, Path modelsDir, Path vocabulary) {
        byte[] vocab = worldVocabulary(catalogue, vocabulary);
        Path ckpt = checkpoint(modelsDir);
        Path shared = ModelsFolder.vocabPath(catalogue, modelsDir);
        try {
            Files.createDirectories(ckpt.getParent());
            if (!Files.isRegularFile(shared)) {
                Path tmp = shared.resolveSibling(shared.getFileName() + ".copy");
                Files.write(tmp, vocab); // the bytes checked, in a file of the folder's own (not the source's read-only mode)
                Files.move(tmp, shared, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into the models folder " + modelsDir + ": " + DownloadException.reason(e), e);
        }
        RandomModels.write(ckpt, Architecture.GOLDFINCH, LAYERS, WIDTH, catalogue.tokenizer().tokens(), DType.BF16, SEED);
        CheckpointJson.describe(ckpt, NAME, "random weights, for trying the app: reading, answers and sources work, the answers are noise");
        return new LocalModel(NAME, ckpt, shared, LocalFiles.sizeOrZero(ckpt));
    }

    /** The vocabulary's bytes; they must be the catalogue's file (its SHA-256): the model is made for exactly its 65,536 ids. */
    private static byte[] worldVocabulary(ModelCatalogue catalogue, Path vocabulary) {
        InputFiles.requireRegular(vocabulary, "the vocabulary " + vocabulary);
        byte[] bytes;
        String sha;
        try {
            long size = Files.size(vocabulary); // checked before reading: a wrong file may be any size
            if (size != catalogue.tokenizer().bytes()) {
                throw new EngineException(String.format("%s is not the World vocabulary %s (%,d bytes; it has %,d)", vocabulary,
                        catalogue.tokenizer().file(), size, catalogue.tokenizer().bytes()));
            }
            bytes = Files.readAllBytes(vocabulary);
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vocabulary " + vocabulary + ": " + DownloadException.reason(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!sha.equals(catalogue.tokenizer().sha256())) {
            throw new EngineException(vocabulary + " is not the World vocabulary " + catalogue.tokenizer().file() + " (its SHA-256 is not the catalogue's)");
        }
        return bytes;
    }
}
