package dev.goldfinch.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The owner of the {@code recall_checks} table: every recall check run, per model, with its grid written again after
 * each cell (so a check cut short keeps the cells it scored). On the store's one connection, so it shares its
 * transactions, read-only mode and failure messages; every row carries a CRC32C ({@link RowChecksum}) over all its
 * fields, checked on every read.
 */
public final class RecallChecks {
    private static final String ROW = "SELECT id, model_identity, model_name, started_at, updated_at, finished, grid, crc FROM recall_checks";

    private final DocumentStore store;

    RecallChecks(DocumentStore store) {
        this.store = store;
    }

    /** Records a new run for the model; its grid so far (usually empty) is {@code grid}. */
    public StoredRecallCheck begin(String modelIdentity, String modelName, String grid) {
        return store.change(db -> {
            long now = System.currentTimeMillis(), id;
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO recall_checks(model_identity, model_name, started_at, updated_at, finished, grid, crc) VALUES (?,?,?,?,0,?,0)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, modelIdentity);
                ps.setString(2, modelName);
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.setString(5, grid);
                ps.executeUpdate();
                id = DocumentStore.generatedKey(ps);
            }
            StoredRecallCheck row = new StoredRecallCheck(id, modelIdentity, modelName, now, now, false, grid, true);
            seal(db, row);
            return row;
        });
    }

    /** Writes a run's grid as it stands now; {@code finished}: every cell of it was scored. */
    public StoredRecallCheck update(StoredRecallCheck run, String grid, boolean finished) {
        return store.change(db -> {
            StoredRecallCheck row = new StoredRecallCheck(run.id(), run.modelIdentity(), run.modelName(), run.startedAt(),
                    Math.max(System.currentTimeMillis(), run.updatedAt()), finished, grid, true);
            try (PreparedStatement ps = db.prepareStatement("UPDATE recall_checks SET updated_at = ?, finished = ?, grid = ? WHERE id = ?")) {
                ps.setLong(1, row.updatedAt());
                ps.setInt(2, finished ? 1 : 0);
                ps.setString(3, grid);
                ps.setLong(4, row.id());
                if (ps.executeUpdate() == 0) throw new SQLException("recall check " + run.id() + " is no longer in the store");
            }
            seal(db, row);
            return row;
        });
    }

    /** The model's newest run (damaged or not: a damaged one says so), if it has one. */
    public Optional<StoredRecallCheck> latest(String modelIdentity) {
        return store.query(db -> {
            try (PreparedStatement ps = db.prepareStatement(ROW + " WHERE model_identity = ? ORDER BY started_at DESC, id DESC LIMIT 1")) {
                ps.setString(1, modelIdentity);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Every run, oldest first. */
    public List<StoredRecallCheck> all() {
        return store.query(db -> {
            List<StoredRecallCheck> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(ROW + " ORDER BY started_at, id")) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        });
    }

    private static StoredRecallCheck row(ResultSet rs) throws SQLException {
        StoredRecallCheck r = new StoredRecallCheck(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getInt(6) != 0,
                rs.getString(7), true);
        boolean intact = rs.getLong(8) == checksum(r) && (rs.getInt(6) == 0 || rs.getInt(6) == 1);
        return intact ? r : new StoredRecallCheck(r.id(), r.modelIdentity(), r.modelName(), r.startedAt(), r.updatedAt(), r.finished(), r.grid(), false);
    }

    static long checksum(StoredRecallCheck r) {
        return RowChecksum.of().add(r.id()).add(r.modelIdentity()).add(r.modelName()).add(r.startedAt()).add(r.updatedAt())
                .add(r.finished() ? 1 : 0).add(r.grid()).value();
    }

    private static void seal(java.sql.Connection db, StoredRecallCheck row) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE recall_checks SET crc = ? WHERE id = ?")) {
            ps.setLong(1, checksum(row));
            ps.setLong(2, row.id());
            ps.executeUpdate();
        }
    }
}
