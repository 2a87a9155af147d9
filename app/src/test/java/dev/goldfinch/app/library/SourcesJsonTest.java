package dev.goldfinch.app.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** An answer's sources as stored in {@code messages.sources}: both kinds come back as written, rows written before kinds as attention. */
class SourcesJsonTest {
    @Test
    void bothKindsComeBackAsWritten() {
        List<Source> attention = List.of(new Source(10, 40, 0.42, 12, "iv", "Goldfinches eat thistle seeds."),
                new Source(90, 120, 0.004, 3, null, "They nest late.", Source.Kind.ATTENTION));
        List<Source> matches = List.of(new Source(0, 31, 0.7, 2, "2", "The rent is due on the third day.", Source.Kind.TEXT_MATCH),
                new Source(31, 60, 0.3, 1, "1", "The lease starts in May.", Source.Kind.TEXT_MATCH));
        assertEquals(attention, SourcesJson.read(SourcesJson.write(attention)));
        assertEquals(matches, SourcesJson.read(SourcesJson.write(matches)));
        assertEquals(Source.Kind.TEXT_MATCH, Source.kindOf(SourcesJson.read(SourcesJson.write(matches))));
    }

    /** A row stored before sources had a kind (only hybrids had sources then) reads as where the attention went. */
    @Test
    void anOldRowWithoutAKindIsAttention() {
        String old = "[{\"start\":10,\"end\":40,\"share\":0.42,\"page\":12,\"pageLabel\":\"iv\",\"text\":\"Goldfinches eat thistle seeds.\"}]";
        List<Source> read = SourcesJson.read(old);
        assertEquals(List.of(new Source(10, 40, 0.42, 12, "iv", "Goldfinches eat thistle seeds.", Source.Kind.ATTENTION)), read);
        assertEquals(Source.Kind.ATTENTION, read.getFirst().kind());
        assertEquals(Source.Kind.ATTENTION, SourcesJson.read("[{\"start\":1,\"end\":2,\"share\":1,\"page\":1,\"text\":\"x\",\"kind\":null}]").getFirst().kind());
    }

    @Test
    void noneAndUnreadableAreNothing() {
        assertNull(SourcesJson.write(List.of()), "no sources: the column stays empty");
        assertNull(SourcesJson.write(null));
        assertEquals(List.of(), SourcesJson.read(null));
        assertEquals(List.of(), SourcesJson.read(" "));
        assertEquals(List.of(), SourcesJson.read("[{\"start\":"), "a damaged column");
        assertEquals(List.of(), SourcesJson.read("[{\"start\":1,\"kind\":\"GUESSWORK\"}]"), "a kind this version does not know");
    }
}
