package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.ReadingTransfer;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.store.TransferCancelledException;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Takes a file written by `export` into the store, for the same model: the document is then asked about at once, with
 * no reading. A file for another model, damaged, forged, not an export or of a newer format is refused in one line and
 * the store is left as it was; a document the library has already is reused, and said so.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Add a read document from a file written by `export` (the same model needed); it is asked about at once, with no reading.")
final class ImportCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--vocab", paramLabel = "V.txt",
            description = "The World vocabulary file (default: the one beside the model, else the one the app uses).")
    Path vocab;

    @Option(names = "--db", paramLabel = "FILE.sqlite", description = "The store (default: the app's library).")
    Path db;

    @Parameters(paramLabel = "X" + ReadingTransfer.EXTENSION, description = "The file written by `export`.")
    Path file;

    @Override
    public Integer call() {
        InputFiles.requireRegular(file, file.toString());
        Settings app = Settings.load(LaunchOptions.defaultConfigDir());
        Path store = db != null ? db : LaunchOptions.defaults().storeFor(app);
        WorldTokenizer tokenizer = WorldTokenizer.load(Vocabularies.find(vocab, modelOptions.model, app));
        try (Model model = modelOptions.load(); Library library = Library.open(store, new IngestSource(new TerminalPasswords(null)));
             CtrlC ctrlC = new CtrlC()) {
            ReadingTransfer transfer = new ReadingTransfer(library, model, tokenizer, PromptLayout.forArchitecture(model.config().architecture().id, PromptLayout.PLAIN));
            ProgressLine progress = new ProgressLine();
            try {
                ReadingTransfer.Done done = transfer.importFile(file, progress::transfer, ctrlC::stopped);
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
}
