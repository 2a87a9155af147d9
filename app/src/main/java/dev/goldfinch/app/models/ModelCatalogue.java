package dev.goldfinch.app.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The models the app offers (a data file, catalogue.json, not code): what each is, what it costs to download and to
 * hold in memory as bf16 or int8, and which of them fit this machine. Which one is recommended is
 * {@link Recommendation}; which file an entry downloads is {@link FileResolver}.
 */
public record ModelCatalogue(Tokenizer tokenizer, Family preferredFamily, List<Entry> models) {

    public ModelCatalogue {
        models = List.copyOf(models);
    }

    /** The World vocabulary every model uses; {@code tokens} its size V (for the embedding and head share of a model). */
    public record Tokenizer(String file, String url, String sha256, long bytes, int tokens) {
    }

    /** The family the recommendation prefers among the models that fit and read fast enough ({@code id} as in {@link Entry#family()}). */
    public record Family(String id, String name) {
    }

    /**
     * One downloadable checkpoint; kind is "chat" (User:/Assistant: prompts) or "base" (Question:/Answer:).
     *
     * @param file          the checkpoint's file name where it is known, else null (then {@code resolve} finds it)
     * @param url           where that file is, or null with it
     * @param downloadBytes the exact size of {@code file}, or 0 when not known
     * @param approxBytes   the size to expect when the exact one is not known (disk-space check, display), else 0
     * @param sha256        the SHA-256 of {@code file}, or null when not known
     * @param parametersEstimated the parameter count is an estimate (the shape is not known), not a count
     * @param layers        L and {@code width} D where known (0 if not): with the vocabulary they give the embedding and head share
     * @param context       the context length the model was trained at, in tokens
     * @param resolve       how to find the file in the repository's listing at download time, or null
     */
    public record Entry(String id, String name, String family, String kind, String architecture,
                        String file, String url, long downloadBytes, long approxBytes, String sha256,
                        long parameters, boolean parametersEstimated, int layers, int width, int context,
                        String license, String note, Resolve resolve) {

        public boolean isChat() {
            return "chat".equals(kind);
        }

        /** Whether the catalogue names the exact file (the fallback when a listing cannot be read). */
        public boolean hasKnownFile() {
            return file != null && !file.isBlank() && url != null && !url.isBlank();
        }

        /** The size to show and to plan disk space with: the exact one where known, else the expected one. */
        public long expectedBytes() {
            return downloadBytes > 0 ? downloadBytes : approxBytes;
        }

        /** Memory to hold the weights as bf16 (mapped) plus working room for states, caches and the JVM. */
        public long memoryBf16() {
            return parameters * 2 + OVERHEAD;
        }

        /** Memory with int8 matrices (one byte a weight plus a scale per 64). */
        public long memoryInt8() {
            return parameters + parameters / 16 + OVERHEAD;
        }

        /**
         * The weights a token's pre-fill multiplies through: all but the embedding (a lookup) and the head (needed for
         * the last token only), each V×D; all of them where the width is not known.
         */
        public long matrixParameters(int vocabTokens) {
            long embeddingAndHead = 2L * vocabTokens * width;
            return width > 0 && vocabTokens > 0 && embeddingAndHead < parameters ? parameters - embeddingAndHead : parameters;
        }
    }

    /**
     * Where to look for an entry's file at download time: the Hugging Face repository {@code repo} (owner/name), its
     * {@code folder} ("" for the top), and file-name patterns ({@code *} any run of characters, {@code ?} one) in
     * order of preference; among the files matching the first pattern that matches any, the newest (by the date in
     * the name, else the number) is taken.
     */
    public record Resolve(String repo, String folder, List<String> patterns) {
        public Resolve {
            folder = folder == null ? "" : folder;
            patterns = patterns == null ? List.of() : List.copyOf(patterns);
        }

        /** repo/folder, as shown to a person. */
        public String where() {
            return folder.isEmpty() ? repo : repo + "/" + folder;
        }
    }

    /** States, a long document's attention cache and the JVM itself: a conservative allowance. */
    static final long OVERHEAD = 1_500_000_000L;

    public static ModelCatalogue load() {
        try (InputStream in = ModelCatalogue.class.getResourceAsStream("catalogue.json")) {
            if (in == null) throw new IllegalStateException("catalogue.json missing from the application");
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A catalogue from a file of the same form (another mirror, a test server). */
    public static ModelCatalogue load(Path file) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalogue " + file + ": " + e.getMessage(), e);
        }
    }

    private static ModelCatalogue read(InputStream in) throws IOException {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).readValue(in, ModelCatalogue.class);
    }

    /** The entry with this id, if any. */
    public Optional<Entry> byId(String id) {
        return models.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** How an entry fits a machine with this much memory. */
    public enum Fit { BF16, INT8_ONLY, TOO_BIG }

    public static Fit fit(Entry e, long machineMemory) {
        if (fits(e.memoryBf16(), machineMemory)) return Fit.BF16;
        if (fits(e.memoryInt8(), machineMemory)) return Fit.INT8_ONLY;
        return Fit.TOO_BIG;
    }

    /** Whether this much memory (weights and working room) fits a machine: at most 3/4 of its memory. */
    public static boolean fits(long memory, long machineMemory) {
        return memory <= machineMemory * 3 / 4;
    }

    /** The memory a checkpoint of this many bytes needs with its weights as stored (mapped), working room included. */
    public static long memoryAsStored(long checkpointBytes) {
        return checkpointBytes + OVERHEAD;
    }

    /** The recommendation for a machine: see {@link Recommendation#choose}. */
    public Recommendation recommend(long machineMemory, ReadingTime reading) {
        return Recommendation.choose(this, machineMemory, reading);
    }

    /** The entry a checkpoint file is, by its file name (World and G1 checkpoints have telling names). */
    public Optional<Entry> byFile(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return models.stream().filter(e -> name.equals(e.file())).findFirst();
    }
}
