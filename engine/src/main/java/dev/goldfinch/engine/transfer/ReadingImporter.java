package dev.goldfinch.engine.transfer;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelConfig;
import dev.goldfinch.engine.model.SavedState;
import dev.goldfinch.engine.store.CacheInfo;
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
 */
public final class ReadingImporter {
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

    public record Imported(Outcome outcome, long documentId, String name, Framing framing, int tokens, ReadingManifest manifest) {
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
            int[] read = checkDocument(name, m, model, tokenizer, framing, doc, cache);
            progress.progress("checking the document", 1, 1);
            checkRows(name, in, cache, read, progress);
            checkStates(name, in, cache, model);

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
                        return new Imported(Outcome.ALREADY_READ, d.id(), d.name(), framing, cache.totalTokens(), m);
                    }
                    throw new EngineException("'" + d.name() + "' is in the library already, read by this model in another layout than " + name
                            + " (" + framing.layouts() + "); nothing was imported");
                }
                existing = d.id();
            }
            if (cancelled.getAsBoolean()) throw new dev.goldfinch.engine.store.TransferCancelledException("the import was cancelled; nothing was imported");
            ReadingImport.Written w = ReadingImport.write(store, in, doc, cache, ModelIdentity.of(model), existing, progress, cancelled);
            return new Imported(existing >= 0 ? Outcome.READING_ADDED : Outcome.ADDED, w.documentId(), there.map(StoredDocument::name).orElse(doc.name()),
                    framing, cache.totalTokens(), m);
        }
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
                                       CacheInfo cache) {
        int vocab = model.config().vocab();
        for (int t : doc.tokens()) {
            if (t < 0 || t >= vocab) throw ReadingFile.forged(name, "its document holds token id " + t + ", outside the model's " + vocab);
        }
        if (!Arrays.equals(tokenizer.encode(doc.text()), doc.tokens())) {
            throw ReadingFile.forged(name, "its document's token ids are not those of its text in this vocabulary");
        }
        if (!cache.modelIdentity().equals(m.modelIdentity())) throw ReadingFile.forged(name, "its reading is recorded for another model than its manifest's");
        if (cache.ccWidth() != model.config().compressedWidth()) {
            throw ReadingFile.forged(name, "its reading's rows are " + cache.ccWidth() + " numbers wide; the model's are " + model.config().compressedWidth());
        }
        int[] read = framing.tokens(doc.text(), doc.tokens(), tokenizer);
        if (cache.totalTokens() != read.length || !DocumentStore.tokensHash(read).equals(cache.tokensHash())) {
            throw ReadingFile.forged(name, String.format(Locale.ROOT, "its reading is of %,d tokens that are not its document's %,d (as %s read it)",
                    cache.totalTokens(), read.length, framing.layouts()));
        }
        return read;
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
    private static void checkStates(String name, ReadingFile in, CacheInfo cache, Model model) {
        List<ReadingFile.State> states = in.states(cache);
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
