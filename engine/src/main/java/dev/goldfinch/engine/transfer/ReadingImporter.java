package dev.goldfinch.engine.transfer;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelConfig;
import dev.goldfinch.engine.model.SavedState;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.ModelIdentity;
import dev.goldfinch.engine.store.ReadingFile;
import dev.goldfinch.engine.store.ReadingImport;
import dev.goldfinch.engine.store.ReadingManifest;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.engine.store.TransferProgress;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Imports a reading file into the store for one model, so that its document is asked about at once, without reading
 * it. Everything is checked before the store is touched: the file ({@link ReadingFile}: header, integrity, schema,
 * every row's checksum and sizes), then the file against the model (its size, its SHA-256, the store's identity of it,
 * every shape: layers, widths, vocabulary), the document's tokens against its text, the reading's tokens against the
 * document framed as it says, every number finite, every layer state of the model's size. Then it is written in one
 * transaction ({@link ReadingImport}). A document the library holds already (the same content) is reused.
 * <p>A collection's file is checked as a document's, and more: its members' spans lie in its text and tokens, in
 * order, without overlap, covering both to their ends, and each separator's and body's tokens are those of its text;
 * its kept checkpoints lie at members' ends, each with a whole state of the model's size. It becomes a new collection
 * with its members (none linked to a library document: the file holds their text, not their documents); a name the
 * library uses already gets " (2)", " (3)"…, unless the library has this collection (the same text, members and tokens, whatever its name) read by this
 * model: then nothing changes.
 */
public final class ReadingImporter {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ReadingImporter() {
    }

    /** What an import did. */
    public enum Outcome {
        /** The document and its reading were added. */
        ADDED,
        /** The library had the document; its reading by this model was added. */
        READING_ADDED,
        /** The library had the document read by this model already: nothing changed. */
        ALREADY_READ
    }

    /**
     * @param name the document's (or the collection's) name in the library; {@code nameInFile} the one the file gave it
     *             (another when the library had a collection of that name)
     */
    public record Imported(Outcome outcome, long documentId, String name, Framing framing, int tokens, ReadingManifest manifest, boolean collection,
                           String nameInFile) {
    }

    public static Imported importFile(DocumentStore store, Model model, WorldTokenizer tokenizer, Path file, TransferProgress progress,
                                      BooleanSupplier cancelled) {
        String name = file.getFileName().toString();
        progress.progress("checking the file", 0, 1);
        try (ReadingFile in = ReadingFile.open(file)) {
            ReadingManifest m = in.manifest();
            Framing framing = checkModel(name, m, model, progress, cancelled);
            progress.progress("checking the document", 0, 1);
            ReadingFile.Document doc = in.document();
            CacheInfo cache = in.cache();
            List<CollectionMember> members = in.members();
            int[] read = checkDocument(name, m, model, tokenizer, framing, doc, cache, members);
            List<Integer> kept = in.keptPositions(cache);
            if (in.isCollection()) checkKept(name, kept, framing.collectionTurn(doc.text(), doc.tokens(), members, tokenizer).memberEnds());
            progress.progress("checking the document", 1, 1);
            checkRows(name, in, cache, read, progress);
            checkStates(name, in, cache, cache.positions(), model);
            for (int p : kept) checkStates(name, in, cache, p, model);
            if (in.isCollection()) return importCollection(store, model, in, doc, cache, members, kept, framing, progress, cancelled);

            Optional<StoredDocument> there = store.documents().byHash(doc.contentHash());
            long existing = -1;
            if (there.isPresent()) {
                StoredDocument d = there.get();
                if (!d.tokensHash().equals(doc.tokensHash())) {
                    throw new EngineException("'" + d.name() + "' is in the library already, with other token ids than " + name + " holds; nothing was imported");
                }
                String identity = model.checkpoint().identity();
                Optional<CacheInfo> reading = store.readings().all().stream()
                        .filter(c -> c.documentId() == d.id() && c.complete() && c.modelIdentity().equals(identity)).findFirst();
                if (reading.isPresent()) {
                    if (reading.get().tokensHash().equals(cache.tokensHash())) {
                        return new Imported(Outcome.ALREADY_READ, d.id(), d.name(), framing, cache.totalTokens(), m, false, doc.name());
                    }
                    throw new EngineException("'" + d.name() + "' is in the library already, read by this model in another layout than " + name
                            + " (" + framing.layouts() + "); nothing was imported");
                }
                existing = d.id();
            }
            if (cancelled.getAsBoolean()) throw new dev.goldfinch.engine.store.TransferCancelledException("the import was cancelled; nothing was imported");
            ReadingImport.Written w = ReadingImport.write(store, in, doc, cache, ModelIdentity.of(model), existing, progress, cancelled);
            return new Imported(existing >= 0 ? Outcome.READING_ADDED : Outcome.ADDED, w.documentId(), there.map(StoredDocument::name).orElse(doc.name()),
                    framing, cache.totalTokens(), m, false, doc.name());
        }
    }

    /** A checked collection file as a new collection, under a name of its own in this library (or nothing, when it is there read already). */
    private static Imported importCollection(DocumentStore store, Model model, ReadingFile in, ReadingFile.Document doc, CacheInfo cache,
                                             List<CollectionMember> members, List<Integer> kept, Framing framing, TransferProgress progress,
                                             BooleanSupplier cancelled) {
        String wanted = doc.name().strip(), identity = model.checkpoint().identity();
        if (wanted.isEmpty()) throw ReadingFile.forged(in.file().getFileName().toString(), "its collection has no name");
        for (long id : store.collections().all()) { // the same collection, under whatever name it has here
            StoredDocument d = store.documents().get(id).orElseThrow();
            boolean read = d.tokensHash().equals(doc.tokensHash()) && store.documents().text(id).equals(doc.text())
                    && store.collections().members(id).stream().map(m -> new CollectionMember(m.ordinal(), -1, m.title(), m.textStart(), m.textEnd(),
                    m.tokenStart(), m.tokenEnd())).toList().equals(members)
                    && store.readings().all().stream().anyMatch(c -> c.documentId() == id && c.complete() && c.modelIdentity().equals(identity)
                    && c.tokensHash().equals(cache.tokensHash()));
            if (read) return new Imported(Outcome.ALREADY_READ, id, d.name(), framing, cache.totalTokens(), in.manifest(), true, wanted);
        }
        String free = wanted;
        for (int k = 2; store.collections().byName(free).isPresent(); k++) free = wanted + " (" + k + ")";
        if (cancelled.getAsBoolean()) throw new dev.goldfinch.engine.store.TransferCancelledException("the import was cancelled; nothing was imported");
        ReadingImport.Written w = ReadingImport.write(store, in, doc, cache, ModelIdentity.of(model), -1, new ReadingImport.AsCollection(free, titled(doc.metadata(), free), members, kept),
                progress, cancelled);
        return new Imported(Outcome.ADDED, w.documentId(), free, framing, cache.totalTokens(), in.manifest(), true, wanted);
    }

    /** A collection's metadata with {@code title} as its title (the page map and members' page maps as they were); not JSON: as it was. */
    private static String titled(String metadata, String title) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = metadata == null ? null : JSON.readTree(metadata);
            if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) return JSON.writeValueAsString(o.put("title", title));
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            // kept as it is: the collection's name is its documents row's
        }
        return metadata;
    }

    /** The file's model must be this one: its size, then its SHA-256 (remembered once computed), its identity, its shapes. */
    private static Framing checkModel(String name, ReadingManifest m, Model model, TransferProgress progress, BooleanSupplier cancelled) {
        Path checkpoint = model.checkpoint().path();
        long size = model.checkpoint().fileSize();
        if (m.modelSize() != size) throw otherModel(name, m, checkpoint, String.format(Locale.ROOT, "%,d bytes", size));
        String sha = CheckpointSha256.of(checkpoint, progress, cancelled);
        if (!sha.equals(m.modelSha256())) throw otherModel(name, m, checkpoint, "SHA-256 " + sha.substring(0, 12) + "…");
        if (!model.checkpoint().identity().equals(m.modelIdentity())) throw ReadingFile.forged(name, "its model's identity is not its SHA-256's");
        ModelConfig c = model.config();
        boolean same = c.architecture().id.equals(m.architecture()) && c.layerCount() == m.layers() && c.dModel() == m.dModel() && c.dAtt() == m.attWidth()
                && c.compressedWidth() == m.ccWidth() && c.vocab() == m.vocab();
        if (!same) {
            throw ReadingFile.forged(name, String.format(Locale.ROOT, "it describes its model as %s L%d-D%d (A=%d, D/r=%d, V=%d), but that checkpoint is %s",
                    m.architecture(), m.layers(), m.dModel(), m.attWidth(), m.ccWidth(), m.vocab(), c.describe()));
        }
        return Framing.parse(m.framing()).orElseThrow(() -> ReadingFile.forged(name, "it names an unknown framing '" + m.framing() + "'"));
    }

    private static EngineException otherModel(String name, ReadingManifest m, Path checkpoint, String local) {
        return new EngineException(String.format(Locale.ROOT, "%s was made for another model: %s (%,d bytes, SHA-256 %s…), not %s (%s); nothing was imported",
                name, m.modelFile(), m.modelSize(), m.modelSha256().length() >= 12 ? m.modelSha256().substring(0, 12) : m.modelSha256(),
                checkpoint.getFileName(), local));
    }

    /** The tokens the reading must be of: the document's own (which must be its text's), framed as the file says. */
    private static int[] checkDocument(String name, ReadingManifest m, Model model, WorldTokenizer tokenizer, Framing framing, ReadingFile.Document doc,
                                       CacheInfo cache, List<CollectionMember> members) {
        int vocab = model.config().vocab();
        for (int t : doc.tokens()) {
            if (t < 0 || t >= vocab) throw ReadingFile.forged(name, "its document holds token id " + t + ", outside the model's " + vocab);
        }
        if (!members.isEmpty()) {
            checkMembers(name, doc, members, tokenizer);
        } else if (!Arrays.equals(tokenizer.encode(doc.text()), doc.tokens())) {
            throw ReadingFile.forged(name, "its document's token ids are not those of its text in this vocabulary");
        }
        if (!cache.modelIdentity().equals(m.modelIdentity())) throw ReadingFile.forged(name, "its reading is recorded for another model than its manifest's");
        if (cache.ccWidth() != model.config().compressedWidth()) {
            throw ReadingFile.forged(name, "its reading's rows are " + cache.ccWidth() + " numbers wide; the model's are " + model.config().compressedWidth());
        }
        int[] read = members.isEmpty() ? framing.tokens(doc.text(), doc.tokens(), tokenizer)
                : framing.collectionTurn(doc.text(), doc.tokens(), members, tokenizer).tokens();
        if (cache.totalTokens() != read.length || !DocumentStore.tokensHash(read).equals(cache.tokensHash())) {
            throw ReadingFile.forged(name, String.format(Locale.ROOT, "its reading is of %,d tokens that are not its document's %,d (as %s read it)",
                    cache.totalTokens(), read.length, framing.layouts()));
        }
        return read;
    }

    /**
     * A collection's members: numbered from 1, each span inside the text and the tokens and after the one before, the
     * last ending where both end; what stands before each body (its separator) and the body itself are, in tokens,
     * their text in this vocabulary (a collection tokenizes them one by one).
     */
    private static void checkMembers(String name, ReadingFile.Document doc, List<CollectionMember> members, WorldTokenizer tokenizer) {
        String text = doc.text();
        int[] tokens = doc.tokens();
        int textAt = 0, tokenAt = 0;
        for (int k = 0; k < members.size(); k++) {
            CollectionMember m = members.get(k);
            boolean inside = m.ordinal() == k + 1 && textAt <= m.textStart() && m.textStart() <= m.textEnd() && m.textEnd() <= text.length()
                    && tokenAt <= m.tokenStart() && m.tokenStart() <= m.tokenEnd() && m.tokenEnd() <= tokens.length;
            if (!inside) throw ReadingFile.forged(name, "member " + m.ordinal() + " of its collection does not lie after member " + k + " inside its text and tokens");
            boolean same = Arrays.equals(tokenizer.encode(text.substring(textAt, m.textStart())), Arrays.copyOfRange(tokens, tokenAt, m.tokenStart()))
                    && Arrays.equals(tokenizer.encode(text.substring(m.textStart(), m.textEnd())), Arrays.copyOfRange(tokens, m.tokenStart(), m.tokenEnd()));
            if (!same) throw ReadingFile.forged(name, "member " + m.ordinal() + "'s token ids are not those of its text in this vocabulary");
            textAt = m.textEnd();
            tokenAt = m.tokenEnd();
        }
        if (textAt != text.length() || tokenAt != tokens.length) throw ReadingFile.forged(name, "its collection holds text or tokens after its last member");
    }

    /** A collection's kept checkpoints lie at its members' ends (where a reading keeps them) and nowhere else. */
    private static void checkKept(String name, List<Integer> kept, int[] memberEnds) {
        for (int p : kept) {
            if (Arrays.stream(memberEnds).noneMatch(e -> e == p)) throw ReadingFile.forged(name, "it keeps a checkpoint at position " + p + ", at no member's end");
        }
    }

    /** Every chunk: of the document's tokens at its positions, every number of it finite. */
    private static void checkRows(String name, ReadingFile in, CacheInfo cache, int[] read, TransferProgress progress) {
        in.chunks(cache, chunk -> {
            int[] t = chunk.tokens();
            if (!Arrays.equals(t, 0, t.length, read, chunk.first(), chunk.first() + chunk.rows())) {
                throw ReadingFile.forged(name, "its rows at position " + chunk.first() + " are of other tokens than its document's");
            }
            for (float v : chunk.compressed(cache.ccWidth())) {
                if (!Float.isFinite(v)) throw ReadingFile.forged(name, "its rows at position " + chunk.first() + " hold a number that is not finite");
            }
            progress.progress("checking the reading", chunk.first() + chunk.rows(), cache.positions());
        });
    }

    /** One state per layer, each of exactly the model's sizes (a WKV state where the layer has one), every number finite. */
    private static void checkStates(String name, ReadingFile in, CacheInfo cache, int position, Model model) {
        List<ReadingFile.State> states = in.states(cache, position);
        List<SavedState.Layer> shapes = model.saveLayers(model.newState());
        if (states.size() != shapes.size()) {
            throw ReadingFile.forged(name, "its reading has " + states.size() + " layer states; the model has " + shapes.size() + " layers");
        }
        for (int i = 0; i < states.size(); i++) {
            SavedState.Layer want = shapes.get(i), got = states.get(i).decoded();
            boolean fits = got.attShift().length == want.attShift().length && got.ffnShift().length == want.ffnShift().length
                    && (want.wkv() == null ? got.wkv() == null : got.wkv() != null && got.wkv().length == want.wkv().length);
            if (!fits) throw ReadingFile.forged(name, "layer " + i + "'s state is not of the model's size");
            for (float[] part : new float[][] {got.attShift(), got.ffnShift(), got.wkv()}) {
                if (part == null) continue;
                for (float v : part) {
                    if (!Float.isFinite(v)) throw ReadingFile.forged(name, "layer " + i + "'s state holds a number that is not finite");
                }
            }
        }
    }
}
