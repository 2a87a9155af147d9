package dev.goldfinch.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.goldfinch.engine.EngineException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorldTokenizerTest {
    static Path shared;
    static Path vocab;
    static WorldTokenizer tok;

    @BeforeAll
    static void load() {
        shared = Path.of(System.getProperty("goldfinch.shared", "../../shared"));
        vocab = shared.resolve("tokenizer/rwkv_vocab_v20230424.txt");
        tok = WorldTokenizer.load(vocab);
    }

    @Test
    void referenceCasesExact() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(shared.resolve("fixtures/reference/tokenizer-cases.json").toFile());
        assertTrue(cases.size() > 0);
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int[] expected = new int[c.get("tokens").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("tokens").get(i).asInt();
            }
            int[] got = tok.encode(text);
            assertArrayEquals(expected, got, () -> "case " + text);
            assertEquals(text, tok.decode(got));
        }
    }

    @Test
    void vocabularyShape() {
        assertEquals(65536, tok.vocabSize());
        assertEquals(65529, tok.maxTokenId());
        assertEquals(128, tok.maxTokenLength());
        assertFalse(tok.hasToken(0));
        assertTrue(tok.hasToken(1));
        assertFalse(tok.hasToken(65530));
        assertArrayEquals(new byte[] {0}, tok.tokenBytes(1));
        assertEquals(0, tok.tokenBytes(WorldTokenizer.END_OF_TEXT).length);
        assertEquals(0, tok.tokenBytes(65535).length);
        assertThrows(EngineException.class, () -> tok.tokenBytes(65536));
        assertThrows(EngineException.class, () -> tok.decode(new int[] {-1}));
    }

    @Test
    void endOfTextIsOrdinaryText() {
        int[] ids = tok.encode("<|endoftext|>");
        assertEquals(7, ids.length);
        assertTrue(Arrays.stream(ids).noneMatch(i -> i == WorldTokenizer.END_OF_TEXT));
        assertEquals("<|endoftext|>", tok.decode(ids));
        assertEquals("ab", tok.decode(new int[] {98, 0, 99}));
    }

    @Test
    void randomBytesRoundTrip() {
        Random r = new Random(42);
        for (int n = 0; n < 2000; n++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            int[] ids = tok.encodeBytes(b);
            for (int id : ids) {
                assertTrue(id > 0 && id <= tok.maxTokenId());
            }
            assertArrayEquals(b, tok.decodeBytes(ids));
        }
    }

    @Test
    void randomUnicodeRoundTrip() {
        Random r = new Random(7);
        int[][] ranges = {{0x20, 0x7E}, {0x00, 0x1F}, {0xA0, 0x24F}, {0x370, 0x4FF}, {0x600, 0x6FF},
                {0x3040, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xE000, 0xF8FF}, {0x1F300, 0x1FAFF},
                {0x10000, 0x10FFFF}};
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(80);
            for (int i = 0; i < len; i++) {
                int[] range = ranges[r.nextInt(ranges.length)];
                int cp = range[0] + r.nextInt(range[1] - range[0] + 1);
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    continue;
                }
                sb.appendCodePoint(cp);
                if (r.nextInt(4) == 0) {
                    sb.append(' ');
                }
            }
            String s = sb.toString();
            assertEquals(s, tok.decode(tok.encode(s)));
        }
    }

    /** The trie against the obvious greedy: try every length from the longest down. */
    @Test
    void matchesNaiveGreedy() {
        Map<String, Integer> byText = new HashMap<>();
        for (int id = 1; id <= tok.maxTokenId(); id++) {
            byText.put(new String(tok.tokenBytes(id), StandardCharsets.ISO_8859_1), id);
        }
        Random r = new Random(3);
        List<String> words = new ArrayList<>();
        for (int id = 1; id <= tok.maxTokenId(); id += 7) {
            words.add(tok.decode(new int[] {id}));
        }
        for (int n = 0; n < 300; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(60); k > 0; k--) {
                sb.append(words.get(r.nextInt(words.size())));
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < b.length; ) {
                for (int l = Math.min(tok.maxTokenLength(), b.length - i); l > 0; l--) {
                    Integer id = byText.get(new String(b, i, l, StandardCharsets.ISO_8859_1));
                    if (id != null) {
                        expected.add(id);
                        i += l;
                        break;
                    }
                }
            }
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), tok.encodeBytes(b));
        }
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.txt");
        EngineException e = assertThrows(EngineException.class, () -> WorldTokenizer.load(missing));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void corruptedCopies(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(vocab, StandardCharsets.UTF_8);
        assertCorrupt(dir, "wrong-length", replaceLine(lines, 1000, lines.get(999).replaceAll(" \\d+$", " 99")),
                "line 1000", "states 99");
        assertCorrupt(dir, "garbage", replaceLine(lines, 20, "20 this is not a literal 1"), "line 20");
        assertCorrupt(dir, "no-length", replaceLine(lines, 5, "5"), "line 5");
        assertCorrupt(dir, "bad-id", replaceLine(lines, 7, "x7 '\\x06' 1"), "line 7");
        assertCorrupt(dir, "duplicate-id", replaceLine(lines, 300, lines.get(298)), "line 300", "twice");
        assertCorrupt(dir, "unterminated", replaceLine(lines, 400, "400 'abc 3"), "line 400");
        assertCorrupt(dir, "bad-escape", replaceLine(lines, 500, "500 '\\x4' 1"), "line 500");
        assertCorrupt(dir, "truncated", String.join("\n", lines.subList(0, 100)), "single byte");
        assertCorrupt(dir, "empty", "", "no tokens");
        Path f = dir.resolve("binary.txt");
        byte[] bin = Files.readAllBytes(vocab);
        bin[50] = (byte) 0xFF;
        Files.write(f, bin);
        EngineException e = assertThrows(EngineException.class, () -> WorldTokenizer.load(f));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    private static String replaceLine(List<String> lines, int lineNo, String replacement) {
        List<String> copy = new ArrayList<>(lines);
        copy.set(lineNo - 1, replacement);
        return String.join("\n", copy) + "\n";
    }

    private static void assertCorrupt(Path dir, String name, String content, String... expected) throws IOException {
        Path f = dir.resolve(name + ".txt");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        EngineException e = assertThrows(EngineException.class, () -> WorldTokenizer.load(f), name);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), name + ": " + e.getMessage());
        }
    }

    /** Python literal forms, on a vocabulary made of the 256 single bytes plus the literals under test. */
    @Test
    void pythonLiterals() {
        String[][] cases = {
                {"'\\x80'", "c2 80"},             // a str: U+0080 encoded as UTF-8
                {"b'\\x80'", "80"},               // bytes: the byte itself
                {"'\\u00e9x'", "c3 a9 78"},
                {"'\\U0001F600'", "f0 9f 98 80"},
                {"'é'", "c3 a9"},
                {"'\\\\'", "5c"},
                {"'\\''", "27"},
                {"\"'\"", "27"},
                {"\"a\\\"b\"", "61 22 62"},
                {"'\\n\\t\\r'", "0a 09 0d"},
                {"'\\101\\0'", "41 00"},
                {"'\\d'", "5c 64"},               // unknown escape: kept
                {"b'\\u00e9'", "5c 75 30 30 65 39"}, // \\u is no escape in bytes
                {"'a b  c'", "61 20 62 20 20 63"},
                {"r'\\n'", "5c 6e"},
        };
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            sb.append(b + 1).append(String.format(" b'\\x%02x' 1%n", b));
        }
        for (int i = 0; i < cases.length; i++) {
            int len = cases[i][1].split(" ").length;
            sb.append(300 + i).append(' ').append(cases[i][0]).append(' ').append(len).append('\n');
        }
        WorldTokenizer t = WorldTokenizer.fromBytes("test", sb.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < cases.length; i++) {
            StringBuilder hex = new StringBuilder();
            for (byte b : t.tokenBytes(300 + i)) {
                hex.append(hex.isEmpty() ? "" : " ").append(String.format("%02x", b & 0xFF));
            }
            assertEquals(cases[i][1], hex.toString(), cases[i][0]);
        }
        assertThrows(EngineException.class, () -> WorldTokenizer.fromBytes("t", (sb + "400 '\\ud800' 3\n").getBytes(StandardCharsets.UTF_8)));
        assertThrows(EngineException.class, () -> WorldTokenizer.fromBytes("t", (sb + "400 b'é' 2\n").getBytes(StandardCharsets.UTF_8)));
        assertThrows(EngineException.class, () -> WorldTokenizer.fromBytes("t", (sb + "70000 'a' 1\n").getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A megabyte of mixed text (Latin, CJK, code, accents, emoji, digits, runs of spaces and newlines): every id valid,
     * the ids decode to the same bytes, encoding is deterministic, and a second load of the vocabulary encodes it to the
     * same ids. How fast that goes is a benchmark's business, not a test's.
     */
    @Test
    void aMegabyteOfMixedTextRoundTrips() {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(1);
        String[] pieces = {"The quick brown fox jumps over the lazy dog. ", "中文分词测试：今天天气很好。", "def f(x):\n    return x * 2\n",
                "Ünïcödé àccénts ñ ß ø ", "Emoji 😀🎉👍🏽 ", "Numbers 1234567890 3.14159 ", "    ", "\n\n"};
        while (sb.length() < 1_000_000) {
            sb.append(pieces[r.nextInt(pieces.length)]);
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        int[] ids = tok.encodeBytes(text);
        assertTrue(ids.length > 0 && ids.length < text.length, "the text is encoded in fewer tokens than bytes: " + ids.length);
        for (int id : ids) {
            assertTrue(id > 0 && id <= tok.maxTokenId(), "token id " + id);
        }
        assertArrayEquals(text, tok.decodeBytes(ids));
        assertArrayEquals(ids, tok.encodeBytes(text), "the same bytes give the same ids");
        WorldTokenizer again = WorldTokenizer.load(vocab);
        assertEquals(again.maxTokenId(), tok.maxTokenId());
        assertArrayEquals(ids, again.encodeBytes(text), "a second load of the vocabulary encodes the same");
    }
}
