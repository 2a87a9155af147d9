package dev.goldfinch.app.ui;

import java.nio.file.Path;

/**
 * How a window is started: its config folder (settings), and what the command line chose for this run
 * (a store file, a model and its vocabulary; each null means "what the settings say").
 */
public record LaunchOptions(Path configDir, Path store, Path model, Path vocab) {

    /** The config folder: $GOLDFINCH_CONFIG, else $XDG_CONFIG_HOME/goldfinch, else ~/.config/goldfinch. */
    public static Path defaultConfigDir() {
        String explicit = System.getenv("GOLDFINCH_CONFIG");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("goldfinch");
    }

    /** The store used when neither the command line nor the settings name one: $XDG_DATA_HOME/goldfinch/library.sqlite. */
    public static Path defaultStore() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("goldfinch").resolve("library.sqlite");
    }

    /** The vocabulary file that ships beside a checkpoint, if it is there. */
    public static java.util.Optional<Path> vocabularyBeside(Path checkpoint) {
        Path beside = checkpoint.toAbsolutePath().resolveSibling(VOCABULARY_FILE);
        return java.nio.file.Files.isRegularFile(beside) ? java.util.Optional.of(beside) : java.util.Optional.empty();
    }

    /** The log of a window started with these options: {@code goldfinch.log} in the config folder ({@link dev.goldfinch.app.Logs}). */
    public Path logFile() {
        return configDir.resolve(dev.goldfinch.app.Logs.FILE);
    }

    /** The RWKV World vocabulary's file name. */
    public static final String VOCABULARY_FILE = "rwkv_vocab_v20230424.txt";

    public static LaunchOptions defaults() {
        return new LaunchOptions(defaultConfigDir(), null, null, null);
    }

    /** The store of this run: the command line's, else the settings', else the default. */
    public Path storeFor(Settings settings) {
        if (store != null) return store;
        if (settings.storePath != null && !settings.storePath.isBlank()) return Path.of(settings.storePath);
        return defaultStore();
    }
}
