package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The Content-Range of a 206 (the bytes sent) and of a 416 (the size only). */
class ContentRangeTest {
    @Test
    void theFormsAServerSends() {
        assertEquals(new ContentRange(1_500_000, 2_999_999, 3_000_000), ContentRange.parse("bytes 1500000-2999999/3000000"));
        assertEquals(new ContentRange(0, 99, -1), ContentRange.parse("bytes 0-99/*"), "the total not known");
        assertEquals(new ContentRange(-1, -1, 3_000_000), ContentRange.parse("bytes */3000000"), "a 416's");
        assertEquals(new ContentRange(5, 9, 10), ContentRange.parse("  BYTES 5-9/10 "), "case and spaces");
    }

    @Test
    void anythingElseIsNone() {
        assertNull(ContentRange.parse(""));
        assertNull(ContentRange.parse("bytes 5-/10"));
        assertNull(ContentRange.parse("items 0-9/10"));
    }
}
