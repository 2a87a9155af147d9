package dev.goldfinch.app.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A source's place said in the document's own terms: pages, headings, lines, slides, sheets. */
class PlacesTest {
    @Test
    void inFull() {
        assertEquals("page 2", Places.spelledOut("page", 2, "2"));
        assertEquals("page 12, iv", Places.spelledOut("page", 12, "iv"));
        assertEquals("page 3", Places.spelledOut(null, 3, null));
        assertEquals("section 3, Installation", Places.spelledOut("section", 3, "Installation"));
        assertEquals("lines 120\u2013140", Places.spelledOut("section", 4, "lines 120\u2013140"));
        assertEquals("line 7", Places.spelledOut("section", 1, "line 7"));
        assertEquals("Installation, lines 301\u2013360", Places.spelledOut("section", 5, "Installation, lines 301\u2013360"));
        assertEquals("section 1, Start", Places.spelledOut("section", 1, "Start"));
        assertEquals("section 4", Places.spelledOut("section", 4, "Section 4"));
        assertEquals("slide 3", Places.spelledOut("slide", 3, "Slide 3"));
        assertEquals("sheet 2, Budget", Places.spelledOut("sheet", 2, "Budget"));
    }

    @Test
    void briefly() {
        assertEquals("p. 2", Places.brief("page", 2, "2"));
        assertEquals("p. iv", Places.brief("page", 12, "iv"));
        assertEquals("p. 5", Places.brief("page", 5, null));
        assertEquals("Installation", Places.brief("section", 3, "Installation"));
        assertEquals("lines 120\u2013140", Places.brief("section", 4, "lines 120\u2013140"));
        assertEquals("section 4", Places.brief("section", 4, "Section 4"));
        assertEquals("slide 3", Places.brief("slide", 3, "Slide 3"));
        assertEquals("Budget", Places.brief("sheet", 2, "Budget"));
    }
}
