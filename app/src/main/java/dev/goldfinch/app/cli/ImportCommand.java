package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.ReadingTransfer;
import dev.goldfinch.engine.io.InputFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    TransferRun transfer;

    @Parameters(paramLabel = "X" + ReadingTransfer.EXTENSION, description = "The file written by `export`.")
    Path file;

    @Override
    public Integer call() {
        InputFiles.requireRegular(file, file.toString());
        return transfer.run(modelOptions, false, (library, t, progress, stopped) -> t.importFile(file, progress, stopped));
    }
}
