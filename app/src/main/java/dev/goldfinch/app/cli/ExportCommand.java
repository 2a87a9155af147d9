package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.ReadingTransfer;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.engine.store.TransferCancelledException;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.ingest.Ingestor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes a document's saved reading by a model to one file that `import` takes on another machine with the same model:
 * the document (its text and page map), the reading as stored, the model's file name, size and SHA-256, and the
 * framing it was read in. The document is named by its file (the bytes it was added from) or by its id in the store.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a read document with its saved reading to one file (.gfread), for `import` where the same model is.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--vocab", paramLabel = "V.txt",
            description = "The World vocabulary file (default: the one beside the model, else the one the app uses).")
    Path vocab;

    @Option(names = "--db", paramLabel = "FILE.sqlite", description = "The store (default: the app's library).")
    Path db;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--doc", paramLabel = "FILE", description = "The document, by the file it was added from.")
        Path doc;

        @Option(names = "--id", paramLabel = "N", description = "The document, by its id in the store.")
        Long id;
    }

    @Option(names = "--out", required = true, paramLabel = "X" + ReadingTransfer.EXTENSION, description = "The file to write (replaced if it exists).")
    Path out;

    @Override
    public Integer call() {
        if (which.doc != null) InputFiles.requireRegular(which.doc, "--doc " + which.doc);
        Settings app = Settings.load(LaunchOptions.defaultConfigDir());
        Path store = db != null ? db : LaunchOptions.defaults().storeFor(app);
        if (!Files.isRegularFile(store)) throw new EngineException("store " + store + ": no such file");
        WorldTokenizer tokenizer = WorldTokenizer.load(Vocabularies.find(vocab, modelOptions.model, app));
        try (Model model = modelOptions.load(); Library library = Library.open(store, new IngestSource(new TerminalPasswords(null)));
             CtrlC ctrlC = new CtrlC()) {
            ReadingTransfer transfer = new ReadingTransfer(library, model, tokenizer, PromptLayout.forArchitecture(model.config().architecture().id, PromptLayout.PLAIN));
            long id = documentId(library);
            ProgressLine progress = new ProgressLine();
            try {
                ReadingTransfer.Done done = transfer.export(id, out, progress::transfer, ctrlC::stopped);
                progress.done();
                System.err.println("goldfinch: " + done.line());
            } catch (TransferCancelledException e) {
                progress.done();
                System.err.println("goldfinch: stopped; " + e.getMessage());
                return 130;
            }
        }
        return 0;
    }

    private long documentId(Library library) {
        if (which.id != null) {
            return library.store().documents().get(which.id).map(StoredDocument::id)
                    .orElseThrow(() -> new EngineException("the store holds no document " + which.id));
        }
        return library.store().documents().byHash(Ingestor.contentHash(which.doc)).map(StoredDocument::id)
                .orElseThrow(() -> new EngineException(which.doc.getFileName() + " is not in the library (add it with ask, or in the app, and read it first)"));
    }
}
