package dev.goldfinch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.goldfinch.engine.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared model fixtures: ../shared/fixtures/reference (models with the logits the paper's code computes) and
 * ../shared/fixtures/rwkv7 (RWKV-7 models with the logits a float64 reference computes). Every test that loops over
 * {@link #models()} covers both.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path shared() {
        String dir = System.getProperty("goldfinch.shared", "../../shared");
        Path p = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) throw new IllegalStateException("shared folder not found at " + p + " (set -Dgoldfinch.shared)");
        return p;
    }

    public static Path reference() {
        return shared().resolve("fixtures/reference");
    }

    public static Path rwkv7() {
        return shared().resolve("fixtures/rwkv7");
    }

    public static Path vocabulary() {
        return shared().resolve("tokenizer/rwkv_vocab_v20230424.txt");
    }

    /** One model fixture. */
    public record Model(String name, JsonNode json, Path dir) {
        public Path checkpoint() {
            return dir.resolve(name + ".pth");
        }

        public int[] tokens() {
            return Npy.readTokens(dir.resolve(name + ".tokens.npy"));
        }

        public float[] logits() {
            return Npy.readFloats(dir.resolve(name + ".logits.npy"));
        }

        public Path compressedCacheFile() {
            return dir.resolve(name + ".compressed_cache.npy");
        }

        public String architecture() {
            return json.path("architecture").asText();
        }

        /**
         * A hybrid (GoldFinch, the GoldFinch upgrade of Finch), as the fixture's own JSON says (its {@code rnn_layers} =
         * c, and a compression ratio): the fixtures that come with a compressed-cache file.
         */
        public boolean hybrid() {
            return json.path("rnn_layers").isInt() && json.path("kv_cache_compression_ratio").isInt();
        }

        public double ropeBase() {
            return json.path("rope_base").isNumber() ? json.path("rope_base").asDouble() : 0;
        }

        public int[] greedyContinuation() {
            return ints(json.path("greedy_continuation"));
        }

        public double[] greedyMargins() {
            JsonNode n = json.path("greedy_margins");
            double[] out = new double[n.size()];
            for (int i = 0; i < out.length; i++) out[i] = n.get(i).asDouble();
            return out;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Model> models() {
        return Stream.concat(models(reference()).stream(), models(rwkv7()).stream()).toList();
    }

    /** The fixtures of one folder, by name. */
    public static Model named(String name) {
        return models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Model> models(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            ObjectMapper om = new ObjectMapper();
            return files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith("tokenizer"))
                    .sorted()
                    .map(p -> {
                        try {
                            String name = p.getFileName().toString().replace(".json", "");
                            return new Model(name, om.readTree(p.toFile()), dir);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float maxAbsDiff(float[] a, int aOff, float[] b, int bOff, int n) {
        float worst = 0;
        for (int i = 0; i < n; i++) {
            float d = Math.abs(a[aOff + i] - b[bOff + i]);
            if (!(d <= worst)) worst = Float.isNaN(d) ? Float.POSITIVE_INFINITY : d;
        }
        return worst;
    }

    private static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asInt();
        return out;
    }
}
