package dev.goldfinch.engine.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenTextStreamTest {
    static WorldTokenizer tok;

    @BeforeAll
    static void load() {
        Path shared = Path.of(System.getProperty("goldfinch.shared", "../../shared"));
        tok = WorldTokenizer.load(shared.resolve("tokenizer/rwkv_vocab_v20230424.txt"));
    }

    @Test
    void multiByteCharacterSplitAcrossTokens() {
        String text = "Emoji 😀🎉👍🏽 test";
        int[] ids = tok.encode(text);
        // The emoji are byte tokens: at least one token ends inside a character.
        boolean split = false;
        TokenTextStream s = tok.textStream();
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            String piece = s.push(id);
            pieces.add(piece);
            assertFalse(piece.contains("\uFFFD"), "piece " + piece);
            split |= s.hasPending();
        }
        assertTrue(split, "expected a token boundary inside a character");
        assertEquals("", s.flush());
        assertEquals(text, String.join("", pieces));
    }

    @Test
    void twoByteCharacterByBytes() {
        TokenTextStream s = tok.textStream();
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        assertEquals("", s.pushBytes(new byte[] {e[0]}));
        assertTrue(s.hasPending());
        assertEquals("é", s.pushBytes(new byte[] {e[1]}));
        assertFalse(s.hasPending());
    }

    @Test
    void flushGivesReplacementForAnUnfinishedCharacter() {
        TokenTextStream s = tok.textStream();
        assertEquals("a", s.pushBytes(new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
        assertEquals("\uFFFD", s.flush());
        assertFalse(s.hasPending());
        assertEquals("", s.push(0)); // end of text adds nothing
    }

    /** In pieces or at once, the text is the same, even for bytes that are not UTF-8. */
    @Test
    void randomStreamsEqualWholeDecode() {
        Random r = new Random(11);
        for (int n = 0; n < 3000; n++) {
            byte[] b;
            if (n % 2 == 0) {
                b = new byte[r.nextInt(64)];
                r.nextBytes(b);
                for (int i = 0; i < b.length; i++) {
                    b[i] |= r.nextInt(4) == 0 ? 0 : (byte) 0x80; // mostly non-ASCII: many broken sequences
                }
            } else {
                StringBuilder sb = new StringBuilder();
                for (int k = r.nextInt(20); k > 0; k--) {
                    sb.appendCodePoint(r.nextBoolean() ? 0x1F300 + r.nextInt(0x700) : 0x4E00 + r.nextInt(0x5000));
                }
                b = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            // by tokens
            int[] ids = tok.encodeBytes(b);
            TokenTextStream s = tok.textStream();
            StringBuilder got = new StringBuilder();
            for (int id : ids) {
                got.append(s.push(id));
            }
            got.append(s.flush());
            assertEquals(tok.decode(ids), got.toString());
            // by chunks of one to four bytes
            StringBuilder got2 = new StringBuilder();
            for (int i = 0; i < b.length; ) {
                int k = Math.min(b.length - i, 1 + r.nextInt(4));
                got2.append(s.pushBytes(Arrays.copyOfRange(b, i, i + k)));
                i += k;
            }
            got2.append(s.flush());
            assertEquals(new String(b, StandardCharsets.UTF_8), got2.toString());
        }
    }
}
