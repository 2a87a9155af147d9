package dev.goldfinch.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations kept in the store file beside their document, on the store's connection, each row checksummed. */
class ConversationsTest {
    @TempDir
    Path dir;

    private static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        }
    }

    @Test
    void conversationsAreKeptWithTheirDocumentAndGoWithIt() {
        try (DocumentStore store = DocumentStore.open(dir.resolve("c.sqlite"))) {
            long doc = store.documents().put("h", "c.txt", "text", new int[] {1, 2}, null);
            Conversations conversations = store.conversations();
            Conversation c = conversations.create(doc, "first");
            conversations.add(c.id(), Message.Role.USER, "q?", null, null);
            conversations.add(c.id(), Message.Role.ASSISTANT, "a.", "", null);
            conversations.add(c.id(), Message.Role.ASSISTANT, "Thistle.", "They eat seeds, mostly thistle.", "[{\"page\":2}]");
            Conversation newer = conversations.create(doc, "second");
            assertEquals(List.of("second", "first"), conversations.of(doc).stream().map(Conversation::title).toList());
            List<Message> messages = conversations.messages(c.id());
            assertEquals(List.of("q?", "a.", "Thistle."), messages.stream().map(Message::text).toList());
            assertEquals(Arrays.asList(null, null, "They eat seeds, mostly thistle."), messages.stream().map(Message::thinking).toList(),
                    "the thinking is kept apart from the text");
            assertEquals(List.of(Message.Role.USER, Message.Role.ASSISTANT, Message.Role.ASSISTANT), messages.stream().map(Message::role).toList());
            assertEquals("[{\"page\":2}]", messages.get(2).sources());
            assertTrue(messages.stream().allMatch(Message::intact));
            conversations.rename(c.id(), "renamed");
            assertEquals(List.of("second", "renamed"), conversations.of(doc).stream().map(Conversation::title).toList());
            assertTrue(conversations.of(doc).stream().allMatch(Conversation::intact), "a rename is sealed too");
            conversations.delete(newer.id());
            assertEquals(1, conversations.of(doc).size());
            store.documents().delete(doc);
            assertTrue(conversations.of(doc).isEmpty(), "removing a document removes its conversations");
            assertTrue(conversations.messages(c.id()).isEmpty());
        }
    }

    @Test
    void aDamagedRowIsReadBackMarkedNotIntactAndTheOthersAreAsWritten() throws Exception {
        Path db = dir.resolve("d.sqlite");
        long doc, first, second;
        try (DocumentStore store = DocumentStore.open(db)) {
            doc = store.documents().put("h", "c.txt", "text", new int[] {1, 2}, null);
            first = store.conversations().create(doc, "Ledger questions").id();
            second = store.conversations().create(doc, "Atlas questions").id();
            store.conversations().add(first, Message.Role.USER, "What is owed?", null, null);
            store.conversations().add(first, Message.Role.ASSISTANT, "Twelve florins.", null, null);
        }
        // one letter changed in an answer and in a title, as a flipped bit would
        sql(db, "UPDATE messages SET text = 'Twelve florint.' WHERE text = 'Twelve florins.'",
                "UPDATE conversations SET title = 'Atlas questiond' WHERE id = " + second);
        try (DocumentStore store = DocumentStore.open(db)) {
            List<Message> messages = store.conversations().messages(first);
            assertTrue(messages.get(0).intact());
            assertFalse(messages.get(1).intact(), "the changed answer is not passed off as what was written");
            List<Conversation> all = store.conversations().of(doc);
            assertFalse(all.stream().filter(c -> c.id() == second).findFirst().orElseThrow().intact());
            assertTrue(all.stream().filter(c -> c.id() == first).findFirst().orElseThrow().intact());
            store.conversations().rename(second, "Atlas");
            assertFalse(store.conversations().of(doc).stream().filter(c -> c.id() == second).findFirst().orElseThrow().intact(),
                    "renaming a damaged record does not vouch for the rest of it");
        }
    }

    @Test
    void conversationsWrittenBeforeChecksumsGetThemAtTheUpgrade() throws Exception {
        Path db = dir.resolve("u.sqlite");
        long doc, c;
        try (DocumentStore store = DocumentStore.open(db)) {
            doc = store.documents().put("h", "c.txt", "text", new int[] {1, 2}, null);
            c = store.conversations().create(doc, "before").id();
            store.conversations().add(c, Message.Role.USER, "q?", null, null);
        }
        sql(db, "ALTER TABLE conversations DROP COLUMN crc", "ALTER TABLE messages DROP COLUMN crc", "PRAGMA user_version = 5");
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals(Schema.latestVersion(), store.schemaVersion());
            assertTrue(store.conversations().of(doc).getFirst().intact());
            assertTrue(store.conversations().messages(c).getFirst().intact());
            assertEquals("q?", store.conversations().messages(c).getFirst().text());
        }
    }
}
