package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.ReadingTransfer;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.ingest.Ingestor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes a document's (or a collection's) saved reading by a model to one file that `import` takes on another machine
 * with the same model: the document (its text and page map; a collection's members too), the reading as stored, the
 * model's file name, size and SHA-256, and the framing it was read in. The document is named by its file (the bytes it
 * was added from) or by its id in the store, a collection by its name or its id.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a read document or collection with its saved reading to one file (.gfread), for `import` where the same model is.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    TransferRun transfer;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--doc", paramLabel = "FILE", description = "The document, by the file it was added from.")
        Path doc;

        @Option(names = "--id", paramLabel = "N", description = "The document or collection, by its id in the store.")
        Long id;

        @Option(names = "--collection", paramLabel = "NAME", description = "The collection, by its name (as `ask --collection` made it).")
        String collection;
    }

    @Option(names = "--out", required = true, paramLabel = "X" + ReadingTransfer.EXTENSION, description = "The file to write (replaced if it exists).")
    Path out;

    @Override
    public Integer call() {
        if (which.doc != null) InputFiles.requireRegular(which.doc, "--doc " + which.doc);
        return transfer.run(modelOptions, true, (library, t, progress, stopped) -> t.export(documentId(library), out, progress, stopped));
    }

    private long documentId(Library library) {
        if (which.collection != null) {
            return library.collections().byName(which.collection).orElseThrow(() -> new EngineException("the store holds no collection '" + which.collection + "'"));
        }
        if (which.id != null) {
            return library.store().documents().get(which.id).map(StoredDocument::id)
                    .orElseThrow(() -> new EngineException("the store holds no document " + which.id));
        }
        return library.store().documents().byHash(Ingestor.contentHash(which.doc)).map(StoredDocument::id)
                .orElseThrow(() -> new EngineException(which.doc.getFileName() + " is not in the library (add it with ask, or in the app, and read it first)"));
    }
}
