package dev.goldfinch.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

/** The owner of the {@code models} table: the checkpoints documents were read with, by identity. */
public final class Models {
    private final DocumentStore store;
    private final Connection db;

    Models(DocumentStore store, Connection db) {
        this.store = store;
        this.db = db;
    }

    /** The model's id, registered on first use; in a read-only store −1 for a model it never saw (it has no readings). */
    public long put(ModelIdentity m) {
        return store.call(() -> {
            long id = -1;
            try (PreparedStatement ps = db.prepareStatement("SELECT id FROM models WHERE identity = ?")) {
                ps.setString(1, m.identity());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) id = rs.getLong(1);
                }
            }
            if (store.readOnly()) return id;
            if (id >= 0) {
                try (PreparedStatement up = db.prepareStatement("UPDATE models SET path = ? WHERE id = ?")) {
                    up.setString(1, m.path());
                    up.setLong(2, id);
                    up.executeUpdate();
                }
                return id;
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO models(identity, path, size, architecture, layers, att_width, description)"
                    + " VALUES (?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, m.identity());
                ps.setString(2, m.path());
                ps.setLong(3, m.size());
                ps.setString(4, m.architecture());
                ps.setInt(5, m.layers());
                ps.setInt(6, m.attWidth());
                ps.setString(7, m.description());
                ps.executeUpdate();
                return DocumentStore.generatedKey(ps);
            }
        });
    }

    public Optional<ModelIdentity> get(long id) {
        return store.call(() -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT identity, path, size, architecture, layers, att_width, description FROM models WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new ModelIdentity(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getInt(5), rs.getInt(6), rs.getString(7))) : Optional.empty();
                }
            }
        });
    }

}
