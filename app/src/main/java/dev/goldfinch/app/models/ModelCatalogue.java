package dev.goldfinch.app.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The models the app offers (a data file, catalogue.json, not code): what each is, what it costs to download and to
 * hold in memory as bf16 or int8, and which of them fit this machine.
 */
public record ModelCatalogue(Tokenizer tokenizer, List<Entry> models) {

    public record Tokenizer(String file, String url, String sha256, long bytes) {
    }

    /** One downloadable checkpoint; kind is "chat" (User:/Assistant: prompts) or "base" (Question:/Answer:). */
    public record Entry(String id, String name, String kind, String architecture, String file, String url,
                        long downloadBytes, long parameters, String license, String note, String sha256) {

        public boolean isChat() {
            return "chat".equals(kind);
        }

        /** Memory to hold the weights as bf16 (mapped) plus working room for states, caches and the JVM. */
        public long memoryBf16() {
            return parameters * 2 + OVERHEAD;
        }

        /** Memory with int8 matrices (one byte a weight plus a scale per 64). */
        public long memoryInt8() {
            return parameters + parameters / 16 + OVERHEAD;
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

    /** The largest chat model that fits in bf16, else the largest that fits in int8, else the smallest. */
    public Entry recommend(long machineMemory) {
        Comparator<Entry> bySize = Comparator.comparingLong(Entry::parameters);
        List<Entry> chat = models.stream().filter(Entry::isChat).toList();
        return chat.stream().filter(e -> fit(e, machineMemory) == Fit.BF16).max(bySize)
                .or(() -> chat.stream().filter(e -> fit(e, machineMemory) != Fit.TOO_BIG).max(bySize))
                .orElseGet(() -> models.stream().min(bySize).orElseThrow());
    }

    /** The entry a checkpoint file is, by its file name (World and paper checkpoints have telling names). */
    public Optional<Entry> byFile(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return models.stream().filter(e -> e.file().equals(name) && !e.file().equals("goldfinch.pth")).findFirst();
    }
}
