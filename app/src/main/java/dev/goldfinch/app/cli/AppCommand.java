package dev.goldfinch.app.cli;

import dev.goldfinch.app.ui.AppLauncher;
import dev.goldfinch.app.ui.LaunchOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Opens the desktop window ("GoldFinch Reader"). */
@Command(name = "app", mixinStandardHelpOptions = true, description = "Open the desktop app (the window \"GoldFinch Reader\").")
final class AppCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "FILE", description = "The store (documents, caches, conversations); default: the one in the settings, else ~/.local/share/goldfinch/library.sqlite.")
    Path store;

    @Option(names = "--model", paramLabel = "M.pth", description = "The checkpoint to use for this run (default: the one chosen in the app).")
    Path model;

    @Option(names = "--vocab", paramLabel = "V.txt", description = "The vocabulary file of the checkpoint.")
    Path vocab;

    @Option(names = "--config", paramLabel = "DIR", description = "The settings folder (default: $GOLDFINCH_CONFIG, else ~/.config/goldfinch).")
    Path config;

    @Override
    public Integer call() {
        Path vocabulary = vocab != null || model == null ? vocab : LaunchOptions.vocabularyBeside(model).orElse(null);
        return AppLauncher.launch(new LaunchOptions(config != null ? config : LaunchOptions.defaultConfigDir(), store, model, vocabulary));
    }
}
