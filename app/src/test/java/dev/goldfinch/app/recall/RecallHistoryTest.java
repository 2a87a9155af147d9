package dev.goldfinch.app.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's check found by its checkpoint file and said in a few words; a damaged row says so and shows no grid. */
class RecallHistoryTest {
    @TempDir
    Path dir;

    @Test
    void aCheckIsFoundByItsCheckpointAndADamagedOneIsSaidToBe() throws Exception {
        Path pth = RandomModels.write(dir.resolve("m.pth"), Architecture.GOLDFINCH, 3, 64, 512, DType.BF16, 2);
        String identity;
        try (Checkpoint c = Checkpoint.open(pth)) {
            identity = c.identity();
        }
        RecallGrid grid = RecallGrid.start("m", 0, new RecallPlan(List.of(256), 1, 1, 1))
                .with(new RecallGrid.Cell(256, 0, 250, 1, 1, "What is the access code of the blue archive?", "7261", "7261")).finish();
        Path db = dir.resolve("s.sqlite");
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals("not checked", RecallHistory.summary(RecallHistory.latest(store, pth)));
            store.recallChecks().update(store.recallChecks().begin(identity, "m", "{}"), grid.toJson(), true);
            assertEquals("reliable up to at least 256 tokens, the longest length checked (" + RecallHistory.date(0) + ")",
                    RecallHistory.summary(RecallHistory.latest(store, pth)));
            assertEquals(grid, RecallHistory.grid(RecallHistory.latest(store, pth).orElseThrow()));
            Path notACheckpoint = Files.writeString(dir.resolve("x.pth"), "not a zip");
            assertEquals(Optional.empty(), RecallHistory.latest(store, notACheckpoint));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("UPDATE recall_checks SET grid = replace(grid, '\"recalled\":1', '\"recalled\":0')");
        }
        try (DocumentStore store = DocumentStore.open(db)) {
            var row = RecallHistory.latest(store, pth);
            assertEquals("damaged in the store", RecallHistory.summary(row));
            EngineException e = assertThrows(EngineException.class, () -> RecallHistory.grid(row.orElseThrow()));
            assertTrue(e.getMessage().contains("is damaged (it fails its checksum)"), e.getMessage());
        }
    }
}
