package dev.goldfinch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tensor.DType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `goldfinch export` and `goldfinch import` end to end: a real PDF read by `ask` into one store, exported, imported into
 * another store, and asked there with the same answer and no reading; refusals in one line with the store's rows as they
 * were. A random GoldFinch with the World vocabulary.
 */
class TransferCommandTest {
    @TempDir
    Path dir;

    private static AskCommandTest.Output run(String... args) {
        return AskCommandTest.captured(args);
    }

    @Test
    void aDocumentReadInOneStoreIsAskedInAnotherWithoutReading() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path pdf = dir.resolve("lease.pdf");
        AskCommandTest.writePdf(pdf, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        Path a = dir.resolve("a.sqlite"), b = dir.resolve("b.sqlite"), file = dir.resolve("lease.gfread");
        String vocab = AskCommandTest.VOCAB.toString();
        String[] ask = {"ask", "--model", model.toString(), "--vocab", vocab, "--doc", pdf.toString(), "--greedy", "--max-new", "10", "--sources",
            "When is the rent due?"};
        AskCommandTest.Output first = run(concat(ask, "--db", a.toString()));
        assertEquals(0, first.code(), first.err());

        AskCommandTest.Output exported = run("export", "--model", model.toString(), "--vocab", vocab, "--db", a.toString(), "--doc", pdf.toString(), "--out", file.toString());
        assertEquals(0, exported.code(), exported.err());
        assertTrue(exported.err().contains("goldfinch: exported the reading of '"), exported.err());
        assertTrue(exported.err().contains("by gf.pth (the plain and chat layouts) to lease.gfread ("), exported.err());

        AskCommandTest.Output imported = run("import", "--model", model.toString(), "--vocab", vocab, "--db", b.toString(), file.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.err().contains("with its reading by gf.pth ("), imported.err());
        assertTrue(imported.err().contains("ask about it at once, nothing is read"), imported.err());

        AskCommandTest.Output second = run(concat(ask, "--db", b.toString()));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("nothing is read again"), "the imported reading is used: " + second.err());
        assertTrue(second.err().lines().noneMatch(l -> l.startsWith("reading:")), "no reading progress: " + second.err());
        assertEquals(first.out(), second.out(), "the same answer with the same sources");

        String rowsBefore = rows(b);
        AskCommandTest.Output again = run("import", "--model", model.toString(), "--vocab", vocab, "--db", b.toString(), file.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("is in the library already, read by this model; nothing was imported"), again.err());
        assertEquals(rowsBefore, rows(b));

        // the same file with an export by id
        AskCommandTest.Output byId = run("export", "--model", model.toString(), "--vocab", vocab, "--db", b.toString(), "--id", "1", "--out", dir.resolve("again.gfread").toString());
        assertEquals(0, byId.code(), byId.err());
    }

    @Test
    void aCollectionReadInOneStoreIsAskedAndExtendedInAnotherReadingOnlyTheAddedDocument() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path lease = dir.resolve("lease.pdf"), rules = dir.resolve("rules.md"), notes = dir.resolve("notes.txt");
        AskCommandTest.writePdf(lease, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        Files.writeString(rules, "# House rules\n\nNo pets in the flat.\n\n## Bins\n\nBins go out on Tuesday evening.\n");
        Files.writeString(notes, "The boiler is serviced every October.\n");
        Path a = dir.resolve("a.sqlite"), b = dir.resolve("b.sqlite"), file = dir.resolve("flat.gfread");
        String vocab = AskCommandTest.VOCAB.toString();
        String[] ask = {"ask", "--model", model.toString(), "--vocab", vocab, "--greedy", "--max-new", "8", "--sources", "--collection", "Flat",
            "--doc", lease.toString(), "--doc", rules.toString()};
        AskCommandTest.Output first = run(concat(ask, "--db", a.toString(), "When do the bins go out?"));
        assertEquals(0, first.code(), first.err());

        AskCommandTest.Output exported = run("export", "--model", model.toString(), "--vocab", vocab, "--db", a.toString(), "--collection", "Flat", "--out", file.toString());
        assertEquals(0, exported.code(), exported.err());
        assertTrue(exported.err().contains("goldfinch: exported the reading of the collection 'Flat' by gf.pth (the plain and chat layouts) to flat.gfread ("),
                exported.err());

        AskCommandTest.Output imported = run("import", "--model", model.toString(), "--vocab", vocab, "--db", b.toString(), file.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.err().contains("goldfinch: imported the collection 'Flat' of 2 documents with its reading by gf.pth ("), imported.err());
        assertTrue(imported.err().contains("ask about it at once, nothing is read"), imported.err());

        // the same documents named again: the library gets them, the collection's content is the same, nothing is read
        AskCommandTest.Output second = run(concat(ask, "--db", b.toString(), "When do the bins go out?"));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("nothing is read again"), "the imported reading is used: " + second.err());
        assertTrue(second.err().lines().noneMatch(l -> l.startsWith("reading:")), "no reading progress: " + second.err());
        assertEquals(first.out(), second.out(), "the same answer with the same sources, members named");

        int read;
        try (DocumentStore store = DocumentStore.open(b)) {
            read = store.readings().all().getFirst().totalTokens();
        }
        AskCommandTest.Output added = run(concat(ask, "--db", b.toString(), "--doc", notes.toString(), "When is the boiler serviced?"));
        assertEquals(0, added.code(), added.err());
        assertTrue(added.err().contains("goldfinch: collection 'Flat': 'The boiler is serviced every October.' added; the 2 documents read before are not read again ("), added.err());
        assertTrue(added.err().contains(String.format("resuming the reading of 'Flat' at %,d of ", read)), "it goes on from the imported reading's end: " + added.err());

        String rowsBefore = rows(b);
        AskCommandTest.Output noSuch = run("export", "--model", model.toString(), "--vocab", vocab, "--db", b.toString(), "--collection", "Nope", "--out", dir.resolve("x.gfread").toString());
        assertEquals(1, noSuch.code());
        assertOneLine(noSuch.err(), "goldfinch: the store holds no collection 'Nope'");
        AskCommandTest.Output again = run("import", "--model", model.toString(), "--vocab", vocab, "--db", a.toString(), file.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("goldfinch: the collection 'Flat' is in the library already, read by this model; nothing was imported"), again.err());
        assertEquals(rowsBefore, rows(b));
    }

    @Test
    void refusalsAreOneLineAndLeaveTheStoreAsItWas() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path other = RandomModels.write(dir.resolve("other.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 8);
        Path txt = Files.writeString(dir.resolve("notes.txt"), "The goldfinch eats the seeds of teasels and thistles in winter.\n");
        Path a = dir.resolve("a.sqlite"), b = dir.resolve("b.sqlite"), file = dir.resolve("notes.gfread");
        String vocab = AskCommandTest.VOCAB.toString();
        assertEquals(0, run("ask", "--model", model.toString(), "--vocab", vocab, "--db", a.toString(), "--doc", txt.toString(), "--greedy", "--max-new", "2",
                "What?").code());
        assertEquals(0, run("export", "--model", model.toString(), "--vocab", vocab, "--db", a.toString(), "--doc", txt.toString(), "--out", file.toString()).code());
        // b holds a document of its own, read by the other model
        assertEquals(0, run("ask", "--model", other.toString(), "--vocab", vocab, "--db", b.toString(), "--doc", txt.toString(), "--greedy", "--max-new", "2",
                "What?").code());
        String rowsBefore = rows(b);

        AskCommandTest.Output otherModel = run("import", "--model", other.toString(), "--vocab", vocab, "--db", b.toString(), file.toString());
        assertEquals(1, otherModel.code());
        assertOneLine(otherModel.err(), "goldfinch: notes.gfread was made for another model: gf.pth (");

        Path text = Files.writeString(dir.resolve("text.gfread"), "not an export at all, but long enough to hold a header of a hundred bytes, it goes on and on, and on and on and on.");
        AskCommandTest.Output notOne = run("import", "--model", model.toString(), "--vocab", vocab, "--db", b.toString(), text.toString());
        assertEquals(1, notOne.code());
        assertOneLine(notOne.err(), "goldfinch: text.gfread is not a GoldFinch reading export (not an SQLite file); nothing was imported");

        byte[] bytes = Files.readAllBytes(file);
        Path half = Files.write(dir.resolve("half.gfread"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        AskCommandTest.Output damaged = run("import", "--model", model.toString(), "--vocab", vocab, "--db", b.toString(), half.toString());
        assertEquals(1, damaged.code());
        assertOneLine(damaged.err(), "goldfinch: half.gfread is damaged (it is cut short: ");
        assertEquals(rowsBefore, rows(b), "every refusal left the store's rows as they were");

        AskCommandTest.Output notInLibrary = run("export", "--model", model.toString(), "--vocab", vocab, "--db", a.toString(), "--doc", model.toString(), "--out",
                dir.resolve("x.gfread").toString());
        assertEquals(1, notInLibrary.code());
        assertOneLine(notInLibrary.err(), "goldfinch: gf.pth is not in the library (add it with ask, or in the app, and read it first)");
        AskCommandTest.Output noSuchId = run("export", "--model", model.toString(), "--vocab", vocab, "--db", a.toString(), "--id", "9", "--out", dir.resolve("x.gfread").toString());
        assertOneLine(noSuchId.err(), "goldfinch: the store holds no document 9");
        AskCommandTest.Output unread = run("export", "--model", other.toString(), "--vocab", vocab, "--db", a.toString(), "--id", "1", "--out", dir.resolve("x.gfread").toString());
        assertOneLine(unread.err(), "is not read by other.pth yet; read it first, then export the reading");
        assertFalse(Files.exists(dir.resolve("x.gfread")));
        AskCommandTest.Output both = run("export", "--model", model.toString(), "--db", a.toString(), "--id", "1", "--doc", txt.toString(), "--out", "x.gfread");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }

    @Test
    void bothCommandsAnswerHelp() {
        AskCommandTest.Output export = run("export", "--help");
        assertEquals(0, export.code());
        assertTrue(export.out().contains("--out=X.gfread") && export.out().contains("--doc=FILE") && export.out().contains("--id=N"), export.out());
        AskCommandTest.Output imp = run("import", "--help");
        assertEquals(0, imp.code());
        assertTrue(imp.out().contains("X.gfread") && imp.out().contains("--model=M.pth"), imp.out());
    }

    private static void assertOneLine(String err, String expected) {
        assertTrue(err.contains(expected), "expected «" + expected + "» in: " + err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Every row of every table of a store, as a digest: what "unchanged" is checked against. */
    static String rows(Path db) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Connection c = DriverManager.getConnection(DocumentStore.connectionUrl(db, true))) {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String t : tables) {
                sha.update(t.getBytes(StandardCharsets.UTF_8));
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + t + " ORDER BY rowid")) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            byte[] v = rs.getBytes(i);
                            sha.update(v == null ? new byte[] {0} : v);
                            sha.update((byte) 1);
                        }
                    }
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
