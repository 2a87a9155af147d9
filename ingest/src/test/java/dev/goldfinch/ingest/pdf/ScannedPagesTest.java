package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What is said of a PDF's scanned pages. */
class ScannedPagesTest {
    @Test
    void pageRanges() {
        assertEquals("2-3, 5, 7-9", PdfExtractor.ranges(List.of(2, 3, 5, 7, 8, 9)));
    }
}
