package dev.goldfinch.engine.transfer;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelConfig;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.ReadingExport;
import dev.goldfinch.engine.store.ReadingManifest;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.engine.store.TransferProgress;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.BooleanSupplier;

/**
 * Exports a document's complete reading by one model as a reading file: the model named by its checkpoint's file name,
 * size and SHA-256 (and the store's identity of it, and its shapes), the framing found from the tokens the reading was
 * made of, then the document and the reading as stored ({@link ReadingExport}); a collection's with its members and
 * its member-end checkpoints (kind {@code collection}).
 */
public final class ReadingExporter {
    /** Who writes the files, as their manifest says. */
    public static final String MADE_BY = "GoldFinch Reader 0.1";

    private ReadingExporter() {
    }

    /** The manifest written; the file is whole at {@code out}, or there is none (a failure, or Cancel). */
    public static ReadingManifest export(DocumentStore store, Model model, WorldTokenizer tokenizer, long documentId, Path out, TransferProgress progress,
                                         BooleanSupplier cancelled) {
        if (ReadingExport.sameFile(out, model.checkpoint().path())) {
            throw new EngineException(out + " is the model's checkpoint; choose another file to export to");
        }
        StoredDocument doc = store.documents().get(documentId).orElseThrow(() -> new EngineException("the document is no longer in the library"));
        String identity = model.checkpoint().identity();
        String checkpoint = model.checkpoint().path().getFileName().toString();
        CacheInfo cache = store.readings().all().stream()
                .filter(c -> c.documentId() == documentId && c.complete() && c.modelIdentity().equals(identity))
                .max(Comparator.comparingLong(CacheInfo::updatedAt))
                .orElseThrow(() -> new EngineException("'" + doc.name() + "' is not read by " + checkpoint + " yet; read it first, then export the reading"));
        Framing framing = framingOf(store, tokenizer, doc, cache);
        String sha = CheckpointSha256.of(model.checkpoint().path(), progress, cancelled);
        ModelConfig c = model.config();
        String kind = store.collections().isCollection(documentId) ? ReadingManifest.COLLECTION : ReadingManifest.DOCUMENT;
        ReadingManifest manifest = new ReadingManifest(kind, System.currentTimeMillis(), MADE_BY, checkpoint,
                model.checkpoint().fileSize(), sha, identity, c.architecture().id, c.layerCount(), c.dModel(), c.dAtt(), c.compressedWidth(), c.vocab(),
                c.describe(), framing.id());
        ReadingExport.write(store, cache, manifest, out, progress, cancelled);
        return manifest;
    }

    /** Which tokens the reading was made of: the stored ones, or the G1 System turn of the text. */
    private static Framing framingOf(DocumentStore store, WorldTokenizer tokenizer, StoredDocument doc, CacheInfo cache) {
        if (cache.tokensHash().equals(doc.tokensHash())) return Framing.STORED;
        int[] g1 = DocumentTurn.reading(PromptLayout.G1, tokenizer).of(store, doc.id());
        if (cache.tokensHash().equals(DocumentStore.tokensHash(g1))) return Framing.G1;
        throw new EngineException("the saved reading of '" + doc.name() + "' was made of other tokens than the document's (another vocabulary?); read it again before exporting it");
    }
}
