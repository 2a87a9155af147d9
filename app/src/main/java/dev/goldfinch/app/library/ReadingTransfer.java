package dev.goldfinch.app.library;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.store.ReadingManifest;
import dev.goldfinch.engine.store.TransferProgress;
import dev.goldfinch.engine.transfer.Framing;
import dev.goldfinch.engine.transfer.ReadingExporter;
import dev.goldfinch.engine.transfer.ReadingImporter;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Handing a read document (or collection) over: its reading by one model exported as one file, and such a file imported
 * into the library, so that the document is asked about at once, with no reading (the window and the command line
 * both). What each did is said in one line; a file that cannot be imported is refused in one line and changes nothing.
 */
public final class ReadingTransfer {
    /** The file name ending the window offers and the command line's help names. */
    public static final String EXTENSION = ".gfread";

    private final Library library;
    private final Model model;
    private final WorldTokenizer tokenizer;
    private final PromptLayout layout;

    /**
     * Transfers for {@code model}, whose questions are put in {@code layout}. Nothing is written to the store before an
     * import's one transaction (not even the model's record, which a {@link Librarian} makes).
     */
    public ReadingTransfer(Library library, Model model, WorldTokenizer tokenizer, PromptLayout layout) {
        this.library = library;
        this.model = model;
        this.tokenizer = tokenizer;
        this.layout = layout;
    }

    /** Transfers for the librarian's model, library and layout. */
    public static ReadingTransfer of(Librarian librarian) {
        return new ReadingTransfer(librarian.library(), librarian.model(), librarian.tokenizer(), librarian.layout());
    }

    /** What an export or an import did, in one line for the person. */
    public record Done(long documentId, String line) {
    }

    /** The file name offered for a document's export: its title, made safe for a file name, and {@link #EXTENSION}. */
    public static String fileName(String title) {
        String safe = title == null ? "" : title.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]+", " ").strip();
        if (safe.length() > 80) safe = safe.substring(0, 80).strip();
        return (safe.isEmpty() ? "reading" : safe) + EXTENSION;
    }

    /** Writes the document's reading by this model to {@code out}; cancelled or failed, no file is left. */
    public Done export(long documentId, Path out, TransferProgress progress, BooleanSupplier cancelled) {
        String title = library.collections().isCollection(documentId) ? "the collection '" + library.document(documentId).name() + "'"
                : "'" + library.meta(documentId).title() + "'";
        ReadingManifest m = ReadingExporter.export(library.store(), model, tokenizer, documentId, out, progress, cancelled);
        long bytes;
        try {
            bytes = Files.size(out);
        } catch (IOException e) {
            throw new EngineException("cannot read " + out + " after writing it: " + e.getMessage(), e);
        }
        Framing framing = Framing.parse(m.framing()).orElseThrow();
        return new Done(documentId, String.format(Locale.ROOT, "exported the reading of %s by %s (%s) to %s (%s); it can be imported where %s is",
                title, m.modelFile(), framing.layouts(), out.getFileName(), megabytes(bytes), m.modelFile()));
    }

    /** Imports a reading file for this model; a document the library has already is reused. */
    public Done importFile(Path file, TransferProgress progress, BooleanSupplier cancelled) {
        ReadingImporter.Imported i = ReadingImporter.importFile(library.store(), model, tokenizer, file, progress, cancelled);
        String model = i.manifest().modelFile();
        if (i.collection()) return new Done(i.documentId(), collectionLine(i, model) + layoutNote(i));
        String title = library.meta(i.documentId()).title();
        String line = switch (i.outcome()) {
            case ADDED -> String.format(Locale.ROOT, "imported '%s' with its reading by %s (%,d tokens): ask about it at once, nothing is read", title, model, i.tokens());
            case READING_ADDED -> String.format(Locale.ROOT, "'%s' was in the library already; its reading by %s (%,d tokens) was added from %s", title, model,
                    i.tokens(), file.getFileName());
            case ALREADY_READ -> String.format(Locale.ROOT, "'%s' is in the library already, read by this model; nothing was imported", title);
        };
        return new Done(i.documentId(), line + layoutNote(i));
    }

    /** What a collection's import did: made it (under another name when the library had one of its name), or nothing. */
    private String collectionLine(ReadingImporter.Imported i, String model) {
        if (i.outcome() == ReadingImporter.Outcome.ALREADY_READ) {
            return String.format(Locale.ROOT, "the collection '%s' is in the library already, read by this model; nothing was imported", i.name());
        }
        int members = library.collections().members(i.documentId()).size();
        String renamed = i.name().equals(i.nameInFile()) ? "" : String.format(Locale.ROOT, " (the library has a collection '%s' already)", i.nameInFile());
        return String.format(Locale.ROOT, "imported the collection '%s'%s of %s with its reading by %s (%,d tokens): ask about it at once, nothing is read",
                i.name(), renamed, members == 1 ? "1 document" : members + " documents", model, i.tokens());
    }

    private String layoutNote(ReadingImporter.Imported i) {
        return Framing.of(layout) == i.framing() ? "" : "; it was read for " + i.framing().layouts() + ", and this model asks in the " + layout.id + " layout";
    }

    private static String megabytes(long bytes) {
        return bytes < 1_000_000 ? String.format(Locale.ROOT, "%,d KB", Math.max(1, bytes / 1000)) : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
