package dev.goldfinch.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.answer.PromptLayout;
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
        s.save(dir);
        String json = Files.readString(dir.resolve(Settings.FILE_NAME)).replace("{", "{\n  \"fromANewerVersion\" : 1,");
        Files.writeString(dir.resolve(Settings.FILE_NAME), json);
        Settings back = Settings.load(dir);
        assertEquals("/m/gf.pth", back.modelPath);
        assertTrue(back.dark());
        assertEquals(3, back.effectiveThreads());
        assertEquals(CachePrecision.Q8, back.precision());
        assertEquals(PromptLayout.CHAT, back.answerOptions().layout());
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
}
