package dev.goldfinch.app.cli;

import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.DemoModel;
import dev.goldfinch.app.models.LocalModel;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.models.ModelsFolder;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code goldfinch demo-model}: a small random-weight GoldFinch with the real World vocabulary in the app's models
 * folder ({@link DemoModel}), to try the app before downloading a model. It says, and its name says, that its answers
 * are noise. When the app has no model yet, it becomes the one the app opens with.
 */
@Command(name = "demo-model", mixinStandardHelpOptions = true, description = {
    "Write a small demo model (a GoldFinch with random weights and the real World vocabulary, about 17 MB) into the app's models folder, "
            + "to try the app without downloading anything.",
    "Its answers are noise: reading, answering and sources work, but the weights were never trained."})
final class DemoModelCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "The models folder (default: the app's, as its settings say; else ~/.local/share/goldfinch/models).")
    Path out;

    @Option(names = "--vocab", paramLabel = "V.txt",
            description = "The World vocabulary (default: the models folder's, else the one the app uses).")
    Path vocab;

    @Option(names = "--config", paramLabel = "DIR", description = "The app's settings folder (default: $GOLDFINCH_CONFIG, else ~/.config/goldfinch).")
    Path config;

    @Override
    public Integer call() throws IOException {
        Path configDir = config != null ? config : LaunchOptions.defaultConfigDir();
        Settings app = Settings.load(configDir);
        ModelCatalogue catalogue = ModelCatalogue.load();
        Path models = (out != null ? out : app.modelsFolder()).toAbsolutePath().normalize();
        LocalModel demo = DemoModel.write(catalogue, models, vocabulary(catalogue, models, app));
        System.out.println("wrote " + demo.checkpoint() + " (" + bytes(demo.bytes()) + ")");
        System.out.println("This model's weights are random: its answers are noise. It is for trying the app (adding a document, "
                + "reading it, asking, sources); for real answers download a model (./goldfinch download --list, or File → Download a model… in the app).");
        boolean hasModel = app.modelPath != null && Files.isRegularFile(Path.of(app.modelPath));
        if (!hasModel && models.equals(app.modelsFolder().toAbsolutePath().normalize())) {
            app.modelPath = demo.checkpoint().toString();
            app.vocabPath = demo.vocab().toString();
            app.save(configDir);
            System.out.println("The app had no model yet, so it opens with this one: ./goldfinch app");
        } else {
            System.out.println("The app lists it under File → Models…, where you can switch to it.");
        }
        return 0;
    }

    /** --vocab, else the one in the models folder, else the one the app was last given. */
    private Path vocabulary(ModelCatalogue catalogue, Path models, Settings app) {
        if (vocab != null) return vocab;
        Path inFolder = ModelsFolder.vocabPath(catalogue, models);
        if (Files.isRegularFile(inFolder)) return inFolder;
        if (app.vocabPath != null && Files.isRegularFile(Path.of(app.vocabPath))) return Path.of(app.vocabPath);
        throw new EngineException("no World vocabulary on this computer yet: give --vocab " + catalogue.tokenizer().file()
                + " (the file's path; nothing is downloaded)");
    }
}
