package dev.goldfinch.app.cli;

import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the commands that read documents find the World vocabulary when --vocab is not given. */
final class Vocabularies {
    private Vocabularies() {
    }

    /** --vocab, else the one beside the model, else the one the app was last given. */
    static Path find(Path given, Path model, Settings app) {
        if (given != null) return given;
        Optional<Path> beside = LaunchOptions.vocabularyBeside(model);
        if (beside.isPresent()) return beside.get();
        if (app.vocabPath != null && Files.isRegularFile(Path.of(app.vocabPath))) return Path.of(app.vocabPath);
        throw new EngineException("no vocabulary: give --vocab V.txt (there is no " + LaunchOptions.VOCABULARY_FILE + " beside "
                + model.getFileName() + ", and the app has none)");
    }
}
