package dev.goldfinch.engine.tokenizer;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.io.InputFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The RWKV "World" tokenizer: greedy longest match over the UTF-8 bytes, left to right, against the vocabulary
 * file {@code rwkv_vocab_v20230424.txt}, exactly as the reference trie tokenizer does it; decoding concatenates the
 * tokens' bytes.
 *
 * <p>Id 0 ({@link #END_OF_TEXT}) is {@code <|endoftext|>}: it is not in the file and the text
 * {@code <|endoftext|>} is ordinary text, so only the program can place it. Ids without bytes (0, and the
 * unused ids up to {@link #vocabSize()}) decode to nothing.
 *
 * <p>Immutable and thread-safe once loaded.
 */
public final class WorldTokenizer {
    /** The model's vocabulary size V; the file uses ids 1..65529. */
    public static final int VOCAB_SIZE = 65536;
    /** The id of {@code <|endoftext|>}, which no text encodes to. */
    public static final int END_OF_TEXT = 0;

    private static final byte[] EMPTY = new byte[0];
    /** Nodes with more children than this get a dense 256-entry table. */
    private static final int DENSE_FANOUT = 8;

    private final byte[][] tokenBytes;
    private final int maxTokenId;
    private final int maxTokenLength;

    // The frozen trie. Nodes are numbered breadth first, so the children of a node are the consecutive nodes
    // firstChild[n] .. firstChild[n] + childCount[n] - 1, sorted by their byte nodeByte[].
    // The first two levels are looked up directly: level1[b0] and level2[b0 << 8 | b1] (-1: no such node).
    private final int[] level1;
    private final int[] level2;
    private final int[] nodeToken;   // token id ending at the node, 0 if none
    private final byte[] nodeByte;
    private final int[] firstChild;
    private final int[] childCount;
    private final int[] denseBase;   // offset into dense[] of the node's 256-entry table, or -1
    private final int[] dense;

    private WorldTokenizer(byte[][] tokenBytes) {
        this.tokenBytes = tokenBytes;
        int maxId = 0;
        int maxLen = 0;
        for (int id = 0; id < tokenBytes.length; id++) {
            if (tokenBytes[id] != null) {
                maxId = id;
                maxLen = Math.max(maxLen, tokenBytes[id].length);
            }
        }
        this.maxTokenId = maxId;
        this.maxTokenLength = maxLen;

        // 1. A mutable trie: children as sorted-by-insertion linked lists (first child, next sibling).
        int cap = 1 << 17;
        int[] token = new int[cap];
        byte[] key = new byte[cap];
        int[] child = new int[cap];
        int[] sibling = new int[cap];
        int[] count = new int[cap];
        Arrays.fill(child, -1);
        Arrays.fill(sibling, -1);
        int[] rootKids = new int[256];
        Arrays.fill(rootKids, -1);
        int nodes = 1; // node 0 is the root
        for (int id = 1; id < tokenBytes.length; id++) {
            byte[] t = tokenBytes[id];
            if (t == null) {
                continue;
            }
            int node = 0;
            for (int i = 0; i < t.length; i++) {
                int next;
                if (node == 0) {
                    next = rootKids[t[i] & 0xFF];
                } else {
                    next = child[node];
                    while (next >= 0 && key[next] != t[i]) {
                        next = sibling[next];
                    }
                }
                if (next < 0) {
                    if (nodes == cap) {
                        cap *= 2;
                        token = Arrays.copyOf(token, cap);
                        key = Arrays.copyOf(key, cap);
                        child = Arrays.copyOf(child, cap);
                        sibling = Arrays.copyOf(sibling, cap);
                        count = Arrays.copyOf(count, cap);
                        Arrays.fill(child, nodes, cap, -1);
                        Arrays.fill(sibling, nodes, cap, -1);
                    }
                    next = nodes++;
                    key[next] = t[i];
                    count[node]++;
                    if (node == 0) {
                        rootKids[t[i] & 0xFF] = next;
                    } else {
                        sibling[next] = child[node];
                        child[node] = next;
                    }
                }
                node = next;
            }
            token[node] = id;
        }

        // 2. Freeze breadth first, children sorted by unsigned byte.
        int[] order = new int[nodes];      // new index -> old index
        nodeToken = new int[nodes];
        nodeByte = new byte[nodes];
        firstChild = new int[nodes];
        childCount = new int[nodes];
        denseBase = new int[nodes];
        Arrays.fill(denseBase, -1);
        int assigned = 1;
        int[] kids = new int[256];
        int denseNodes = 0;
        for (int q = 0; q < assigned; q++) {
            int old = order[q];
            nodeToken[q] = token[old];
            int k = 0;
            if (old == 0) {
                for (int b = 0; b < 256; b++) {
                    if (rootKids[b] >= 0) {
                        kids[k++] = rootKids[b];
                    }
                }
            } else {
                for (int c = child[old]; c >= 0; c = sibling[c]) {
                    kids[k++] = c;
                }
                sortByKey(kids, k, key);
            }
            firstChild[q] = assigned;
            childCount[q] = k;
            if (k > DENSE_FANOUT) {
                denseNodes++;
            }
            for (int i = 0; i < k; i++) {
                order[assigned] = kids[i];
                nodeByte[assigned] = key[kids[i]];
                assigned++;
            }
        }
        dense = new int[denseNodes * 256];
        Arrays.fill(dense, -1);
        int d = 0;
        for (int n = 0; n < nodes; n++) {
            if (childCount[n] > DENSE_FANOUT) {
                denseBase[n] = d;
                for (int c = firstChild[n]; c < firstChild[n] + childCount[n]; c++) {
                    dense[d + (nodeByte[c] & 0xFF)] = c;
                }
                d += 256;
            }
        }
        level1 = new int[256];
        level2 = new int[65536];
        Arrays.fill(level1, -1);
        Arrays.fill(level2, -1);
        for (int c = firstChild[0]; c < firstChild[0] + childCount[0]; c++) {
            int b0 = nodeByte[c] & 0xFF;
            level1[b0] = c;
            for (int g = firstChild[c]; g < firstChild[c] + childCount[c]; g++) {
                level2[b0 << 8 | (nodeByte[g] & 0xFF)] = g;
            }
        }
    }

    private static void sortByKey(int[] kids, int k, byte[] key) {
        for (int i = 1; i < k; i++) { // insertion sort: lists are short
            int x = kids[i];
            int kx = key[x] & 0xFF;
            int j = i - 1;
            while (j >= 0 && (key[kids[j]] & 0xFF) > kx) {
                kids[j + 1] = kids[j];
                j--;
            }
            kids[j + 1] = x;
        }
    }

    /** Far above any vocabulary file (the World one is about 1 MB): a larger file is something else, read whole for nothing. */
    private static final long MAX_VOCABULARY_BYTES = 64L << 20;

    /**
     * Loads a vocabulary file such as {@code rwkv_vocab_v20230424.txt}.
     *
     * @throws EngineException with a one-line message if the file is missing, unreadable or not a valid vocabulary
     *                         (naming the offending line), or if it is not a regular file (a pipe, a device)
     */
    public static WorldTokenizer load(Path file) {
        if (Files.notExists(file)) throw new EngineException("tokenizer vocabulary not found: " + file);
        InputFiles.requireRegular(file, "tokenizer vocabulary " + file);
        byte[] data;
        try {
            long size = Files.size(file);
            if (size > MAX_VOCABULARY_BYTES) {
                throw new EngineException("tokenizer vocabulary " + file + " is " + size + " bytes: not a vocabulary (rwkv_vocab_v20230424.txt is about 1 MB)");
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EngineException("tokenizer vocabulary not found: " + file, e);
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new EngineException("cannot read tokenizer vocabulary " + file + ": " + reason, e);
        } catch (IOException e) {
            throw new EngineException("cannot read tokenizer vocabulary " + file + ": " + e.getMessage(), e);
        }
        return fromBytes(file.toString(), data);
    }

    /** Parses a vocabulary already in memory; {@code source} names it in error messages. */
    public static WorldTokenizer fromBytes(String source, byte[] vocabularyText) {
        return new WorldTokenizer(VocabParser.parse(source, vocabularyText, VOCAB_SIZE));
    }

    /** The model's vocabulary size, 65536: every id the model can produce is below it. */
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    /** The largest id the vocabulary file defines (65529 for rwkv_vocab_v20230424). */
    public int maxTokenId() {
        return maxTokenId;
    }

    /** The longest token in bytes. */
    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** The ids of the UTF-8 bytes of {@code text} (unpaired surrogates become '?', as String.getBytes does). */
    public int[] encode(String text) {
        return encodeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Greedy longest match, left to right; never produces id 0. */
    public int[] encodeBytes(byte[] bytes) {
        return encodeBytes(bytes, 0, bytes.length);
    }

    /** Encodes bytes[from, to). */
    public int[] encodeBytes(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        int[] out = new int[Math.max(16, (to - from) / 2)];
        int n = 0;
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xFF;
            int node = level1[b0];
            if (node < 0) { // cannot happen: the parser insists on every single byte
                throw new EngineException(String.format("no token for the byte 0x%02x", b0));
            }
            int bestId = nodeToken[node];
            int bestEnd = i + 1;
            if (i + 1 < to) {
                node = level2[b0 << 8 | (bytes[i + 1] & 0xFF)];
                if (node >= 0) {
                    int j = i + 2;
                    if (nodeToken[node] != 0) {
                        bestId = nodeToken[node];
                        bestEnd = j;
                    }
                    while (j < to) {
                        node = child(node, bytes[j]);
                        if (node < 0) {
                            break;
                        }
                        j++;
                        if (nodeToken[node] != 0) {
                            bestId = nodeToken[node];
                            bestEnd = j;
                        }
                    }
                }
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + (to - i)));
            }
            out[n++] = bestId;
            i = bestEnd;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private int child(int node, byte b) {
        int base = denseBase[node];
        if (base >= 0) {
            return dense[base + (b & 0xFF)];
        }
        int first = firstChild[node];
        int end = first + childCount[node];
        for (int c = first; c < end; c++) {
            if (nodeByte[c] == b) {
                return c;
            }
        }
        return -1;
    }

    /** The bytes of one id: empty for id 0 and for ids the file does not define. Do not modify the array. */
    public byte[] tokenBytes(int id) {
        checkId(id);
        byte[] b = tokenBytes[id];
        return b == null ? EMPTY : b;
    }

    /** Whether the vocabulary file defines {@code id} (false for 0 and for the unused ids). */
    public boolean hasToken(int id) {
        return id >= 0 && id < tokenBytes.length && tokenBytes[id] != null;
    }

    /** The concatenated bytes of the ids. */
    public byte[] decodeBytes(int[] ids) {
        int len = 0;
        for (int id : ids) {
            len += tokenBytes(id).length;
        }
        byte[] out = new byte[len];
        int p = 0;
        for (int id : ids) {
            byte[] b = tokenBytes[id];
            if (b != null) {
                System.arraycopy(b, 0, out, p, b.length);
                p += b.length;
            }
        }
        return out;
    }

    /** The text of the ids; malformed UTF-8 (e.g. a character cut between ids) becomes U+FFFD. */
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** A decoder for ids arriving one at a time that never splits a multi-byte character. */
    public TokenTextStream textStream() {
        return new TokenTextStream(this);
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokenBytes.length) {
            throw new EngineException("token id " + id + " is outside the vocabulary (0.." + (tokenBytes.length - 1) + ")");
        }
    }
}
