package dev.goldfinch.app.recall;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredRecallCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * A model's recall check as the store keeps it, found by its checkpoint file (the store keys checks by the
 * checkpoint's identity, so a model moved or renamed keeps its check), and said in a few words for the models list.
 */
public final class RecallHistory {
    private RecallHistory() {
    }

    /** The newest check of the checkpoint at {@code checkpoint}; a file that is not a checkpoint has none. */
    public static Optional<StoredRecallCheck> latest(DocumentStore store, Path checkpoint) {
        String identity;
        try (Checkpoint c = Checkpoint.open(checkpoint)) {
            identity = c.identity();
        } catch (EngineException | java.io.UncheckedIOException notACheckpoint) {
            return Optional.empty();
        }
        return store.recallChecks().latest(identity);
    }

    /** The grid a stored check holds; a damaged row is refused in one line. */
    public static RecallGrid grid(StoredRecallCheck check) {
        if (!check.intact()) throw new EngineException("the stored recall check of " + check.modelName() + " is damaged (it fails its checksum); run it again");
        return RecallGrid.fromJson(check.grid());
    }

    /** "reliable up to about 16k tokens (2026-12-01)", "not checked", "damaged in the store". */
    public static String summary(Optional<StoredRecallCheck> check) {
        if (check.isEmpty()) return "not checked";
        if (!check.get().intact()) return "damaged in the store";
        try {
            RecallGrid g = RecallGrid.fromJson(check.get().grid());
            return RecallVerdict.overall(g) + " (" + date(g.date()) + (g.finished() ? "" : ", cut short") + ")";
        } catch (EngineException e) {
            return "damaged in the store";
        }
    }

    public static String date(long epochMillis) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()));
    }
}
