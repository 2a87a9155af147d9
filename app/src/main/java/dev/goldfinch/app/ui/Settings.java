package dev.goldfinch.app.ui;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.models.ModelsFolder;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.generate.Generator;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.store.CachePrecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What the app remembers between runs, kept as a small JSON file ({@code settings.json} in the config folder):
 * the model chosen, where the store is, and the answer and reading preferences of the settings dialog.
 * Unknown fields are ignored and missing ones take their defaults, so older and newer files both load.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Settings {
    public static final String FILE_NAME = "settings.json";
    static final double DEFAULT_TEMPERATURE = 0.7;
    static final double DEFAULT_TOP_P = 0.85;
    static final int DEFAULT_MAX_ANSWER_TOKENS = 256;
    private static final System.Logger LOG = System.getLogger(Settings.class.getName());

    /** The checkpoint (.pth) in use, or null before one was chosen. */
    public String modelPath;
    /** The vocabulary file that goes with it. */
    public String vocabPath;
    /** Where "Download a model…" puts models; null means {@link ModelsFolder#defaultModelsDir()}. */
    public String modelsDir;
    /** The store file; null means the default one in the data folder. */
    public String storePath;
    /** Worker threads of the engine; 0 means every core. At most {@link Parallel#maxThreads()}. */
    public int threads;
    /** 0 (greedy) or more. */
    public double temperature = DEFAULT_TEMPERATURE;
    /** More than 0, at most 1. */
    public double topP = DEFAULT_TOP_P;
    /** The answer length limit, in tokens: 1 to {@link Generator#MAX_NEW_TOKENS}. */
    public int maxAnswerTokens = DEFAULT_MAX_ANSWER_TOKENS;
    /** "f16", "q8" or "f32": how a document's cache is written to the store. */
    public String cachePrecision = "f16";
    /**
     * "plain" (Question:/Answer:), "chat" (User:/Assistant:) or "g1" (the RWKV-7 G1 template), for models without a
     * template of their own; an RWKV-7 model always uses G1 ({@link PromptLayout#forArchitecture}).
     */
    public String promptLayout = "plain";
    /** Whether a G1 model thinks before it answers (slower); off it writes an empty thought, fast and good. */
    public boolean think;
    /** "light" or "dark". */
    public String theme = "light";
    /** Tokens between the checkpoints of a reading: what a cancelled or interrupted reading keeps. */
    public int checkpointEvery = 2048;
    /** Whether the document view on the right is shown. */
    public boolean documentViewShown = true;
    /**
     * "auto", "stored" or "int8": how the model's large matrices are held. int8 takes half the memory of bf16 (quantized
     * once, then cached); auto chooses it when the checkpoint as stored would not fit the memory by the catalogue's
     * rule ({@link ModelCatalogue#fits}).
     */
    public String weights = "auto";

    public Settings copy() {
        return MAPPER.convertValue(this, Settings.class);
    }

    /** The models folder in use: the one chosen, else the default one in the data folder. */
    public Path modelsFolder() {
        return modelsDir != null && !modelsDir.isBlank() ? Path.of(modelsDir) : ModelsFolder.defaultModelsDir();
    }

    public int effectiveThreads() {
        return Math.min(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), Parallel.maxThreads());
    }

    public CachePrecision precision() {
        try {
            return CachePrecision.parse(cachePrecision);
        } catch (IllegalArgumentException e) {
            return CachePrecision.F16;
        }
    }

    /** The weight format for a checkpoint of this many bytes on a computer with this much memory (0: unknown). */
    public WeightFormat weightFormat(long checkpointBytes, long machineMemory) {
        if ("int8".equalsIgnoreCase(weights)) return WeightFormat.INT8;
        if ("stored".equalsIgnoreCase(weights)) return WeightFormat.STORED;
        boolean fits = machineMemory <= 0 || ModelCatalogue.fits(ModelCatalogue.memoryAsStored(checkpointBytes), machineMemory);
        return fits ? WeightFormat.STORED : WeightFormat.INT8;
    }

    public boolean dark() {
        return "dark".equalsIgnoreCase(theme);
    }

    /** How to answer; a value the engine would refuse (NaN, top-p 0: see {@link #repair}) counts as its default. */
    public AnswerOptions answerOptions() {
        AnswerOptions d = AnswerOptions.defaults();
        SamplingOptions s = d.sampling();
        double t = SamplingOptions.temperatureProblem(temperature) == null ? temperature : DEFAULT_TEMPERATURE;
        double p = SamplingOptions.topPProblem(topP) == null ? topP : DEFAULT_TOP_P;
        int length = Generator.maxNewProblem(maxAnswerTokens) == null ? maxAnswerTokens : DEFAULT_MAX_ANSWER_TOKENS;
        SamplingOptions sampling = new SamplingOptions(t, p, s.topK(), s.presencePenalty(), s.frequencyPenalty(), System.nanoTime());
        return new AnswerOptions(sampling, length, layout(), d.tovaBudget(), think);
    }

    /**
     * Puts back the default of every value no part of the program could use, as a hand-edited file may hold them
     * (a NaN or negative temperature, top-p 0, a million threads, a billion-token answer), with a warning that names
     * it: the engine refuses such values rather than bend them, and the window must still open.
     */
    Settings repair(Path file) {
        if (SamplingOptions.temperatureProblem(temperature) != null) temperature = reset(file, "temperature", temperature, DEFAULT_TEMPERATURE);
        if (SamplingOptions.topPProblem(topP) != null) topP = reset(file, "topP", topP, DEFAULT_TOP_P);
        if (Generator.maxNewProblem(maxAnswerTokens) != null) {
            maxAnswerTokens = (int) reset(file, "maxAnswerTokens", maxAnswerTokens, DEFAULT_MAX_ANSWER_TOKENS);
        }
        if (threads < 0 || threads > Parallel.maxThreads()) threads = (int) reset(file, "threads", threads, 0);
        return this;
    }

    private static double reset(Path file, String field, double was, double now) {
        LOG.log(System.Logger.Level.WARNING, "settings file {0}: {1} {2} cannot be used; it is {3} instead",
                file, field, was, now);
        return now;
    }

    /** The chosen prompt layout; an unknown name (from a newer version) is plain. */
    public PromptLayout layout() {
        try {
            return promptLayout == null ? PromptLayout.PLAIN : PromptLayout.parse(promptLayout);
        } catch (IllegalArgumentException e) {
            return PromptLayout.PLAIN;
        }
    }

    // ---- the file ----------------------------------------------------------------------------------------------

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Reads the settings of a config folder; a missing file gives the defaults, a damaged one too (it is kept aside). */
    public static Settings load(Path configDir) {
        Path file = configDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) return new Settings();
        try {
            Settings s = MAPPER.readValue(file.toFile(), Settings.class);
            return s == null ? new Settings() : s.repair(file);
        } catch (IOException e) {
            System.getLogger(Settings.class.getName()).log(System.Logger.Level.WARNING,
                    "settings file " + file + " is damaged; starting from the defaults (the file is kept as " + FILE_NAME + ".bad)", e);
            try {
                Files.move(file, file.resolveSibling(FILE_NAME + ".bad"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the defaults still apply; the next save overwrites the damaged file
            }
            return new Settings();
        }
    }

    /** Writes the settings atomically (a temporary file moved over the old one). */
    public void save(Path configDir) throws IOException {
        Files.createDirectories(configDir);
        Path tmp = Files.createTempFile(configDir, "settings", ".tmp");
        try {
            MAPPER.writeValue(tmp.toFile(), this);
            Files.move(tmp, configDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
