package dev.goldfinch.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recall checks kept in a real store file per model, rewritten cell by cell, checksummed, there after the file is opened again. */
class RecallChecksTest {
    @TempDir
    Path dir;

    @Test
    void aModelsRunsAreKeptAndTheNewestIsItsCheck() throws Exception {
        Path db = dir.resolve("r.sqlite");
        StoredRecallCheck second;
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals(Schema.latestVersion(), store.schemaVersion());
            assertTrue(store.schemaVersion() >= Schema.RECALL_CHECKS);
            RecallChecks checks = store.recallChecks();
            StoredRecallCheck first = checks.begin("model-a", "a.pth", "{}");
            checks.update(first, "{\"cells\":1}", true);
            checks.begin("model-b", "b.pth", "{}");
            Thread.sleep(2); // a later start
            second = checks.begin("model-a", "a.pth", "{}");
            second = checks.update(second, "{\"cells\":2}", false);
        }
        try (DocumentStore store = DocumentStore.open(db)) {
            StoredRecallCheck latest = store.recallChecks().latest("model-a").orElseThrow();
            assertEquals(second, latest, "the newest run of the model, as written");
            assertEquals("{\"cells\":2}", latest.grid());
            assertFalse(latest.finished(), "cut short: the grid so far");
            assertTrue(latest.intact());
            assertEquals(3, store.recallChecks().all().size());
            assertTrue(store.recallChecks().latest("model-c").isEmpty());
        }
    }

    @Test
    void aDamagedRowIsReadAsDamaged() throws Exception {
        Path db = dir.resolve("d.sqlite");
        try (DocumentStore store = DocumentStore.open(db)) {
            store.recallChecks().update(store.recallChecks().begin("m", "m.pth", "{}"), "{\"recalled\":[0.5]}", true);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("UPDATE recall_checks SET grid = '{\"recalled\":[0.9]}'");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM recall_checks")) {
                assertEquals(1, rs.getInt(1));
            }
        }
        try (DocumentStore store = DocumentStore.open(db)) {
            StoredRecallCheck r = store.recallChecks().latest("m").orElseThrow();
            assertFalse(r.intact(), "a grid changed behind the store's back fails its checksum");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("UPDATE recall_checks SET grid = '{\"recalled\":[0.5]}', finished = 3");
        }
        try (DocumentStore store = DocumentStore.open(db)) {
            assertFalse(store.recallChecks().latest("m").orElseThrow().intact(), "an impossible 'finished' is damage too");
        }
    }
}
