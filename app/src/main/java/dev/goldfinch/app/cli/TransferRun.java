package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.ReadingTransfer;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.store.TransferCancelledException;
import dev.goldfinch.engine.store.TransferProgress;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Option;

/**
 * What `export` and `import` share: the vocabulary and the store, with the defaults `ask` has, and how a transfer runs:
 * its progress on standard error, what it did in one line, Ctrl+C stopping it with no file half written and the
 * store unchanged (exit 130).
 */
final class TransferRun {
    @Option(names = "--vocab", paramLabel = "V.txt",
            description = "The World vocabulary file (default: the one beside the model, else the one the app uses).")
    Path vocab;

    @Option(names = "--db", paramLabel = "FILE.sqlite", description = "The store (default: the app's library).")
    Path db;

    interface Work {
        ReadingTransfer.Done run(Library library, ReadingTransfer transfer, TransferProgress progress, BooleanSupplier stopped);
    }

    /** Runs one transfer for the model; {@code storeMustExist}: an export reads a store, it does not make one. */
    int run(ModelOptions modelOptions, boolean storeMustExist, Work work) {
        Settings app = Settings.load(LaunchOptions.defaultConfigDir());
        Path store = db != null ? db : LaunchOptions.defaults().storeFor(app);
        if (storeMustExist && !Files.isRegularFile(store)) throw new EngineException("store " + store + ": no such file");
        WorldTokenizer tokenizer = WorldTokenizer.load(Vocabularies.find(vocab, modelOptions.model, app));
        try (Model model = modelOptions.load(); Library library = Library.open(store, new IngestSource(new TerminalPasswords(null)));
             CtrlC ctrlC = CtrlC.listen()) {
            // the questions of an RWKV-7 model are G1's; others ask in plain (a reading serves plain and chat alike)
            PromptLayout layout = PromptLayout.forArchitecture(model.config().architecture().id, PromptLayout.PLAIN);
            ProgressLine progress = new ProgressLine();
            ReadingTransfer.Done done;
            try {
                done = work.run(library, new ReadingTransfer(library, model, tokenizer, layout), progress::transfer, ctrlC::pressed);
            } catch (TransferCancelledException e) {
                progress.done();
                System.err.println("goldfinch: stopped; " + e.getMessage());
                return 130;
            } finally {
                progress.done(); // a refusal's line starts on a line of its own
            }
            System.err.println("goldfinch: " + done.line());
        }
        return 0;
    }
}
