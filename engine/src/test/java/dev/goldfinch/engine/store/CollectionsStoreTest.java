package dev.goldfinch.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collections tables on a real SQLite file: names, members in order, one transaction per change, checksums, a member's document removed. */
class CollectionsStoreTest {
    @TempDir
    Path dir;

    private static List<CollectionMember> two(long a, long b) {
        return List.of(new CollectionMember(1, a, "A", 4, 10, 2, 5), new CollectionMember(2, b, "B", 14, 20, 7, 9));
    }

    @Test
    void aCollectionKeepsItsMembersAndContentAndOutlivesAMembersDocument() {
        Path db = dir.resolve("c.sqlite");
        long a, b, c;
        try (DocumentStore s = DocumentStore.open(db)) {
            a = s.documents().put("ha", "a.txt", "text a", new int[] {1, 2, 3}, null);
            b = s.documents().put("hb", "b.txt", "text b", new int[] {4, 5}, null);
            c = s.collections().create("  Both ", "{}");
            assertThrows(EngineException.class, () -> s.collections().create("Both", null), "one collection of a name");
            assertThrows(EngineException.class, () -> s.collections().create(" ", null), "a collection needs a name");
            assertEquals(List.of(), s.collections().members(c));
            assertEquals(0, s.documents().tokens(c).length);
            s.collections().replace(c, "sep Aaaaaa sep Bbbbbb", new int[] {9, 9, 1, 2, 3, 9, 9, 4, 5}, "{\"title\":\"Both\"}", two(a, b));
        }
        try (DocumentStore s = DocumentStore.open(db)) {
            assertEquals(c, s.collections().byName("Both").orElseThrow());
            assertTrue(s.collections().isCollection(c));
            assertFalse(s.collections().isCollection(a));
            assertEquals(two(a, b), s.collections().members(c));
            assertArrayEquals(new int[] {9, 9, 1, 2, 3, 9, 9, 4, 5}, s.documents().tokens(c));
            assertEquals("sep Aaaaaa sep Bbbbbb", s.documents().text(c), "the text is checked against the row's new checksum");
            assertEquals(List.of(c), s.collections().holding(a));
            s.documents().delete(a);
            CollectionMember kept = s.collections().members(c).getFirst();
            assertFalse(kept.inLibrary(), "the member stays, without its library document");
            assertEquals(new CollectionMember(1, -1, "A", 4, 10, 2, 5), kept);
            assertThrows(EngineException.class, () -> s.collections().replace(c, "short", new int[] {1}, null, two(b, b)), "spans past the content");
            assertEquals(2, s.collections().members(c).size(), "a refused change leaves the collection as it was");
            s.documents().delete(c);
            assertTrue(s.collections().all().isEmpty());
            assertTrue(s.collections().byName("Both").isEmpty());
        }
    }

    @Test
    void aDamagedMemberIsOneLineNamingTheCollection() throws Exception {
        Path db = dir.resolve("d.sqlite");
        long c;
        try (DocumentStore s = DocumentStore.open(db)) {
            long a = s.documents().put("ha", "a.txt", "text a", new int[] {1, 2, 3}, null);
            c = s.collections().create("Shelf", null);
            s.collections().replace(c, "sep Aaaaaa sep Bbbbbb", new int[] {9, 9, 1, 2, 3, 9, 9, 4, 5}, null, two(a, a));
        }
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = conn.createStatement()) {
            st.executeUpdate("UPDATE collection_members SET token_end = 8 WHERE ordinal = 2");
        }
        try (DocumentStore s = DocumentStore.open(db)) {
            DamagedStoreException e = assertThrows(DamagedStoreException.class, () -> s.collections().members(c));
            assertEquals("the collection 'Shelf' is damaged in the store (member 2 fails its checksum)", e.getMessage());
        }
    }
}
