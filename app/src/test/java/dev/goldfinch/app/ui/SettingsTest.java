package dev.goldfinch.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.store.CachePrecision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndIgnoresWhatItDoesNotKnow() throws Exception {
        Settings s = new Settings();
        s.modelPath = "/m/gf.pth";
        s.theme = "dark";
        s.threads = 3;
        s.cachePrecision = "q8";
        s.promptLayout = "chat";
        s.weights = "int8";
        s.save(dir);
        String json = Files.readString(dir.resolve(Settings.FILE_NAME)).replace("{", "{\n  \"fromANewerVersion\" : 1,");
        Files.writeString(dir.resolve(Settings.FILE_NAME), json);
        Settings back = Settings.load(dir);
        assertEquals("/m/gf.pth", back.modelPath);
        assertTrue(back.dark());
        assertEquals(3, back.effectiveThreads());
        assertEquals(CachePrecision.Q8, back.precision());
        assertEquals(PromptLayout.CHAT, back.answerOptions().layout());
        assertEquals("int8", back.weights);
    }

    @Test
    void theG1LayoutAndTheThinkSettingRoundTrip() throws Exception {
        Settings fresh = new Settings();
        assertEquals(PromptLayout.PLAIN, fresh.answerOptions().layout());
        assertTrue(!fresh.think && !fresh.answerOptions().think(), "thinking is off by default (the fast empty thought)");
        Settings s = new Settings();
        s.promptLayout = "g1";
        s.think = true;
        s.save(dir);
        Settings back = Settings.load(dir);
        assertEquals(PromptLayout.G1, back.layout());
        assertEquals(PromptLayout.G1, back.answerOptions().layout());
        assertTrue(back.think);
        assertTrue(back.answerOptions().think());
        back.think = false;
        back.save(dir);
        assertTrue(!Settings.load(dir).answerOptions().think());
        // A file without the think field (an older version's) loads with thinking off; an unknown layout is plain.
        Files.writeString(dir.resolve(Settings.FILE_NAME), "{ \"promptLayout\" : \"something newer\" }");
        Settings old = Settings.load(dir);
        assertTrue(!old.think);
        assertEquals(PromptLayout.PLAIN, old.layout());
    }

    /** auto holds the matrices as int8 only when the model as stored would not fit by the catalogue's rule. */
    @Test
    void weightFormatFollowsTheChoiceAndAutoFollowsTheMemory() {
        Settings s = new Settings();
        assertEquals("auto", s.weights);
        long laptop = 16_000_000_000L, room = ModelCatalogue.memoryAsStored(0);
        assertEquals(WeightFormat.STORED, s.weightFormat(3_000_000_000L, laptop));
        assertEquals(WeightFormat.STORED, s.weightFormat(laptop * 3 / 4 - room, laptop), "exactly 3/4 with the working room still fits");
        assertEquals(WeightFormat.INT8, s.weightFormat(laptop * 3 / 4 - room + 1, laptop));
        assertEquals(WeightFormat.INT8, s.weightFormat(15_300_000_000L, laptop), "the 7B World model on a 16 GB laptop");
        assertEquals(WeightFormat.STORED, s.weightFormat(15_300_000_000L, 0), "unknown memory: as stored");
        s.weights = "int8";
        assertEquals(WeightFormat.INT8, s.weightFormat(1, laptop));
        s.weights = "stored";
        assertEquals(WeightFormat.STORED, s.weightFormat(15_300_000_000L, laptop));
        s.weights = "something newer";
        assertEquals(WeightFormat.INT8, s.weightFormat(15_300_000_000L, laptop), "an unknown value acts as auto");
    }

    @Test
    void aMissingOrDamagedFileGivesTheDefaults() throws Exception {
        assertNull(Settings.load(dir).modelPath);
        Files.writeString(dir.resolve(Settings.FILE_NAME), "{ not json");
        Settings s = Settings.load(dir);
        assertEquals("light", s.theme);
        assertTrue(Files.exists(dir.resolve(Settings.FILE_NAME + ".bad")), "the damaged file is kept aside");
        assertEquals(Runtime.getRuntime().availableProcessors(), s.effectiveThreads());
    }

    /**
     * A hand-edited file may hold what the engine refuses (NaN, a negative temperature, top-p 0, a million threads, a
     * billion-token answer): each such value loads as its default, and the rest of the file is kept.
     */
    @Test
    void impossibleValuesInTheFileLoadAsTheirDefaults() throws Exception {
        Files.writeString(dir.resolve(Settings.FILE_NAME), """
                { "temperature" : "NaN", "topP" : 0, "threads" : 100000, "maxAnswerTokens" : 2000000000, "theme" : "dark" }""");
        Settings s = Settings.load(dir);
        assertEquals(0.7, s.temperature);
        assertEquals(0.85, s.topP);
        assertEquals(0, s.threads, "every core");
        assertEquals(256, s.maxAnswerTokens);
        assertTrue(s.dark(), "the valid values are kept");
        assertEquals(0.7, s.answerOptions().sampling().temperature());

        Files.writeString(dir.resolve(Settings.FILE_NAME), "{ \"temperature\" : -1, \"topP\" : 1.5, \"threads\" : -2 }");
        Settings negative = Settings.load(dir);
        assertEquals(0.7, negative.temperature, "a negative temperature is not greedy: it is no temperature");
        assertEquals(0.85, negative.topP);
        assertEquals(Runtime.getRuntime().availableProcessors(), negative.effectiveThreads());

        // set in code, the same values never reach the engine either
        Settings inCode = new Settings();
        inCode.temperature = Double.NaN;
        inCode.topP = 0;
        inCode.maxAnswerTokens = 0;
        inCode.threads = 1_000_000;
        assertEquals(0.7, inCode.answerOptions().sampling().temperature());
        assertEquals(0.85, inCode.answerOptions().sampling().topP());
        assertEquals(256, inCode.answerOptions().maxTokens());
        assertEquals(dev.goldfinch.engine.kernel.Parallel.maxThreads(), inCode.effectiveThreads());
        Settings greedy = new Settings();
        greedy.temperature = 0;
        assertTrue(greedy.answerOptions().sampling().isGreedy(), "0 is greedy and allowed");
    }
}
