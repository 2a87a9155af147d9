package dev.goldfinch.engine.reading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.Prefill;
import dev.goldfinch.engine.model.SavedState;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.store.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A collection read one document at a time into one reading, in a real SQLite store, for a GoldFinch, a Finch and an
 * RWKV-7 fixture model: the reading after a document is added (the collection read and saved before, everything
 * closed, reopened) is the reading of the whole token sequence in one go, within the split-reload bound for an f32
 * cache (3e-5: the next-token logits, cc_t and shift states absolutely, the WKV states relative to their largest value,
 * since a WKV state sums over every token read; fed in one call, not in the reader's chunks), and bit for bit the same
 * as that sequence read in memory in the reader's chunks; the addition runs the recurrent layers over the new document's tokens alone (its separator and body, and the
 * turn end where the layout frames the collection); a member removed or moved is read again from there, no further back.
 */
class CollectionReadingTest {
    @TempDir
    Path dir;

    static Stream<Arguments> models() {
        return Stream.of("goldfinch-tiny", "finch-tiny", "rwkv7-tiny").flatMap(n -> Stream.of(Arguments.of(Fixtures.named(n), false), Arguments.of(Fixtures.named(n), true)));
    }

    /** A frame around the whole collection, as G1's System turn is (an opening, and a turn end the finish step reads last). */
    static final int[] OPENING = {11, 12, 13}, END = {14};

    /** The stored tokens as they are, or framed: the members' ends then lie past the opening, and the last one before the turn end. */
    static DocumentTokens reading(boolean framed) {
        if (!framed) return DocumentTokens.STORED;
        return new DocumentTokens() {
            @Override
            public int[] of(DocumentStore store, long id) {
                return concat(OPENING, store.documents().tokens(id), END);
            }

            @Override
            public int[] keptPositions(DocumentStore store, long id) {
                return Arrays.stream(STORED.keptPositions(store, id)).map(p -> p + OPENING.length).toArray();
            }
        };
    }

    /** Separator tokens naming a member, as a byte-level encoding (ids 1–256, which every fixture's vocabulary holds). */
    static int[] separator(int ordinal, String title) {
        byte[] b = ((ordinal > 1 ? "\n" : "") + "=== Document " + ordinal + ": " + title + " ===\n").getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (b[i] & 0xff) + 1;
        return out;
    }

    /** Gives the collection the named parts of the fixture's tokens as its members, in this order; returns its stored tokens. */
    static int[] setMembers(DocumentStore store, long collection, List<String> names, List<int[]> bodies) {
        List<CollectionMember> members = new ArrayList<>();
        List<int[]> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int at = 0;
        for (int k = 0; k < names.size(); k++) {
            int[] sep = separator(k + 1, names.get(k));
            text.append("[separator ").append(k + 1).append(']');
            int textStart = text.length();
            text.append("[body of ").append(names.get(k)).append(']');
            parts.add(sep);
            parts.add(bodies.get(k));
            members.add(new CollectionMember(k + 1, -1, names.get(k), textStart, text.length(), at + sep.length, at + sep.length + bodies.get(k).length));
            at += sep.length + bodies.get(k).length;
        }
        int[] tokens = concat(parts.toArray(int[][]::new));
        store.collections().replace(collection, text.toString(), tokens, null, members);
        return tokens;
    }

    @ParameterizedTest(name = "{0}, framed {1}")
    @MethodSource("models")
    void addingADocumentReadsItAloneAndEqualsTheWholeSequenceReadInOneGo(Fixtures.Model m, boolean framed) {
        int[] ids = m.tokens();
        int[] a = Arrays.copyOfRange(ids, 0, 24), b = Arrays.copyOfRange(ids, 24, ids.length);
        Path db = dir.resolve("collection.sqlite");
        long collection;
        int readBefore;
        try (Model model = DocumentReaderTest.load(m); DocumentStore store = DocumentStore.open(db)) {
            collection = store.collections().create("Both", null);
            int[] stored = setMembers(store, collection, List.of("A"), List.of(a));
            DocumentReader reader = new DocumentReader(store, model, reading(framed)).chunkTokens(5).checkpointEvery(8);
            reader.prefill(collection, CachePrecision.F32, p -> { }, () -> false);
            readBefore = stored.length + (framed ? OPENING.length + END.length : 0);
            assertEquals(readBefore, reader.stepsOfLastPrefill(), m + ": the first reading reads all of A");
        }
        int[] whole;
        InferenceState collected;
        try (Model model = DocumentReaderTest.load(m); DocumentStore store = DocumentStore.open(db)) {
            int[] stored = setMembers(store, collection, List.of("A", "B"), List.of(a, b));
            DocumentReader reader = new DocumentReader(store, model, reading(framed)).chunkTokens(5).checkpointEvery(8);
            whole = reader.reading().of(store, collection);
            int aEnd = (framed ? OPENING.length : 0) + separator(1, "A").length + a.length;
            assertEquals(aEnd, reader.repoint(collection, CachePrecision.F32), m + ": the reading goes on from A's end");
            reader.prefill(collection, CachePrecision.F32, p -> { }, () -> false);
            int added = separator(2, "B").length + b.length + (framed ? END.length : 0);
            assertEquals(whole.length - aEnd, added);
            // counted: the separator naming B, B's tokens and (framed) the one turn-end token; nothing of A again
            assertEquals(added, reader.stepsOfLastPrefill(), m + ": adding B ran the recurrent layers over B's part alone");
            assertEquals(stored.length, store.documents().tokens(collection).length);
            collected = reader.open(collection);
            assertEquals(0, collected.recurrentSteps(), "opening the read collection runs no recurrent step");
            assertEquals(whole.length, collected.position());
        }
        try (Model model = DocumentReaderTest.load(m)) {
            // The same reading kept in memory: fed in the reader's chunks (of 5, each ending at a member's end), saved and
            // restored at A's end as the reading was, then fed on. Bit for bit what the store and the resumed reading
            // give: the f32 cache is the reading itself, and it went on from exactly A's end.
            int aEnd = (framed ? OPENING.length : 0) + separator(1, "A").length + a.length, bEnd = aEnd + separator(2, "B").length + b.length;
            InferenceState chunked = model.newState();
            Prefill inChunks = new Prefill(model, chunked);
            for (int from = 0; from < whole.length; ) {
                if (from == aEnd) {
                    if (!framed) inChunks.finish(); // unframed, A's end was the end of the first reading
                    chunked = model.restore(model.save(chunked));
                    inChunks = new Prefill(model, chunked);
                }
                int stop = from < aEnd ? aEnd : from < bEnd ? bEnd : whole.length;
                int n = Math.min(5, stop - from);
                inChunks.feed(whole, from, n);
                from += n;
            }
            inChunks.finish();
            DocumentReaderTest.assertSameReading(model.save(chunked), model.save(collected), false, m + " (the collection against its chunks in memory)");

            InferenceState oneGo = model.newState();
            Prefill prefill = new Prefill(model, oneGo);
            prefill.feed(whole, 0, whole.length);
            prefill.finish();
            assertArrayEquals(oneGo.tokens(), collected.tokens(), m + ": the same tokens");
            assertSameState(model.save(oneGo), model.save(collected), m.toString());
            int[] probe = {ids[0], ids[1], ids[2]};
            float[] expected = model.forward(oneGo.copy(), probe, 0, probe.length, Model.Logits.ALL);
            float[] actual = model.forward(collected.copy(), probe, 0, probe.length, Model.Logits.ALL);
            // opened from the store, as the collection was
            assertArrayEquals(model.forward(model.restore(model.save(chunked)), probe, 0, probe.length, Model.Logits.ALL), actual,
                    m + ": the same logits as the chunks in memory");
            float err = Fixtures.maxAbsDiff(expected, 0, actual, 0, expected.length);
            assertTrue(err <= DocumentReaderTest.F32_BOUND, m + ": next-token logits differ by " + err + ", more than " + DocumentReaderTest.F32_BOUND);
        }
    }

    @ParameterizedTest(name = "{0}, framed {1}")
    @MethodSource("models")
    void removingOrMovingAMemberReadsAgainFromItAndNoFurtherBack(Fixtures.Model m, boolean framed) {
        int[] ids = m.tokens();
        int[] a = Arrays.copyOfRange(ids, 0, 20), b = Arrays.copyOfRange(ids, 20, 40), c = Arrays.copyOfRange(ids, 40, ids.length);
        int open = framed ? OPENING.length : 0;
        try (Model model = DocumentReaderTest.load(m); DocumentStore store = DocumentStore.open(dir.resolve("edit.sqlite"))) {
            long collection = store.collections().create("Three", null);
            setMembers(store, collection, List.of("A", "B", "C"), List.of(a, b, c));
            DocumentReader reader = new DocumentReader(store, model, reading(framed)).chunkTokens(5).checkpointEvery(8);
            reader.prefill(collection, CachePrecision.F32, p -> { }, () -> false);
            int aEnd = open + separator(1, "A").length + a.length;

            setMembers(store, collection, List.of("A", "C", "B"), List.of(a, c, b)); // moved: C now second
            int[] moved = reader.reading().of(store, collection);
            assertEquals(aEnd, reader.repoint(collection, CachePrecision.F32), m + ": a move goes on from the member before it");
            reader.prefill(collection, CachePrecision.F32, p -> { }, () -> false);
            assertEquals(moved.length - aEnd, reader.stepsOfLastPrefill());

            setMembers(store, collection, List.of("A", "B"), List.of(a, b)); // C removed: B second again, read anew after A
            int[] removed = reader.reading().of(store, collection);
            assertEquals(aEnd, reader.repoint(collection, CachePrecision.F32));
            reader.prefill(collection, CachePrecision.F32, p -> { }, () -> false);
            assertEquals(removed.length - aEnd, reader.stepsOfLastPrefill());
            assertEquals(0, reader.repoint(collection, CachePrecision.F32) - removed.length, "read: nothing left");

            setMembers(store, collection, List.of("B"), List.of(b)); // the first member changed: from the start
            assertEquals(0, reader.repoint(collection, CachePrecision.F32), m + ": nothing agrees before the first member");
            reader.prefill(collection, CachePrecision.F32, p -> { }, () -> false);
            assertEquals(reader.reading().of(store, collection).length, reader.stepsOfLastPrefill());
        }
    }

    static void assertSameState(SavedState expected, SavedState actual, String what) {
        assertEquals(expected.layers().size(), actual.layers().size());
        for (int i = 0; i < expected.layers().size(); i++) {
            SavedState.Layer e = expected.layers().get(i), a = actual.layers().get(i);
            float shift = Math.max(Fixtures.maxAbsDiff(e.attShift(), 0, a.attShift(), 0, e.attShift().length),
                    Fixtures.maxAbsDiff(e.ffnShift(), 0, a.ffnShift(), 0, e.ffnShift().length));
            // a WKV state sums over every token read, so its float rounding is bounded relative to its size
            float wkv = e.wkv() == null ? 0 : Fixtures.maxAbsDiff(e.wkv(), 0, a.wkv(), 0, e.wkv().length) / Math.max(1, maxAbs(e.wkv()));
            assertTrue(shift <= DocumentReaderTest.F32_BOUND && wkv <= DocumentReaderTest.F32_BOUND,
                    what + ": layer " + i + "'s state differs (shift " + shift + ", wkv relative " + wkv + ")");
        }
        float cc = Fixtures.maxAbsDiff(expected.compressed(), 0, actual.compressed(), 0, expected.compressed().length);
        assertEquals(expected.compressed().length, actual.compressed().length);
        assertTrue(cc <= DocumentReaderTest.F32_BOUND, what + ": cc_t differs by " + cc);
    }

    private static float maxAbs(float[] v) {
        float m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
