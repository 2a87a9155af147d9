package dev.goldfinch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The small parts: normalisation, language guess, the page map, messages. */
class PiecesTest {

    @Test
    void nfkcOnlyWhereSafe() {
        assertEquals("office fluff", TextNormalizer.normalize("o\uFB03ce \uFB02u\uFB00"));
        assertEquals("a b c d", TextNormalizer.normalize("a\u00A0b\u2009c\u3000d"));
        assertEquals("ABC123", TextNormalizer.normalize("\uFF21\uFF22\uFF23\uFF11\uFF12\uFF13"));
        assertEquals("invisible", TextNormalizer.normalize("in\u200Bvis\u00ADi\uFEFFble"));
        // meaning-bearing compatibility characters stay
        assertEquals("x² ½ ™ …", TextNormalizer.normalize("x² ½ ™ …"));
        // decomposed accents are composed (NFC)
        assertEquals("café", TextNormalizer.normalize("cafe\u0301"));
        assertEquals("line\nnext", TextNormalizer.normalize("line\r\nnext"));
        assertEquals("ab", TextNormalizer.normalize("a\u0000\u0007b"));
    }

    @Test
    void mathematicalLettersFoldToPlainOnes() {
        assertEquals("f(x) = Ax + h, n ∈ N, R2", TextNormalizer.normalize("𝑓(𝑥) = 𝐀𝑥 + ℎ, 𝑛 ∈ ℕ, 𝕽𝟐"));
        // other characters beyond the Basic Multilingual Plane stay as they are
        assertEquals("😀 𠀀", TextNormalizer.normalize("😀 𠀀"));
    }

    @Test
    void languageGuess() {
        assertEquals("en", LanguageGuesser.guess("The committee said that it was not ready for the vote, and the "
                + "members of the board agreed with this view on the matter."));
        assertEquals("fr", LanguageGuesser.guess("Le comité a dit que la proposition est bonne pour la ville et que "
                + "les habitants sont contents avec le projet dans le quartier."));
        assertEquals("ru", LanguageGuesser.guess("Быстрая коричневая лиса прыгает через ленивую собаку и бежит в лес."));
        assertEquals("ja", LanguageGuesser.guess("これは日本語の文章です。東京は大きな都市で、たくさんの人が住んでいます。"));
        assertNull(LanguageGuesser.guess("Hi."));
        assertEquals("en", LanguageGuesser.isoCode("en-US"));
        assertEquals("de", LanguageGuesser.isoCode("deu"));
        assertNull(LanguageGuesser.isoCode(""));
    }

    @Test
    void pageMapLookup() {
        String text = "aaaa\n\nbbbb";
        IngestedDocument doc = new IngestedDocument(text, IngestedDocument.Unit.PAGE, List.of(
                new PageSpan(1, 0, 6, "1"), new PageSpan(2, 6, 6, "2"), new PageSpan(3, 6, 10, "3")),
                null, null, null, null, "application/pdf", "00", List.of());
        assertEquals(1, doc.pageAt(0).page());
        assertEquals(1, doc.pageAt(5).page());
        assertEquals(3, doc.pageAt(6).page());
        assertEquals(3, doc.pageAt(10).page());
        assertThrows(IndexOutOfBoundsException.class, () -> doc.pageAt(11));
        assertThrows(IllegalArgumentException.class, () -> new IngestedDocument(text, IngestedDocument.Unit.PAGE,
                List.of(new PageSpan(1, 0, 5, "1")), null, null, null, null, "x", "00", List.of()));
    }

    @Test
    void messagesAreOneLine() {
        IngestException e = new IngestException(IngestException.Reason.CORRUPT, null, "bad\n  thing\r\nhere");
        assertEquals("bad thing here", e.getMessage());
        assertTrue(new IngestException(IngestException.Reason.CORRUPT, null, "x".repeat(1000)).getMessage().length()
                <= 300);
    }
}
