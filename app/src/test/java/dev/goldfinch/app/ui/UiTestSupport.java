package dev.goldfinch.app.ui;

import static org.junit.jupiter.api.Assertions.fail;

import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.engine.TestEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** Shared set-up of the UI tests: a real JavaFX toolkit (under Xvfb in CI), windows, waits and screenshots. */
final class UiTestSupport {
    static final Path SHARED = Path.of(System.getProperty("goldfinch.shared", "../../shared"));
    static final Path VOCAB = SHARED.resolve("tokenizer/rwkv_vocab_v20230424.txt");
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    private UiTestSupport() {
    }

    /** Starts JavaFX, or skips the test class when there is no display (run the UI tests under xvfb-run); fails in CI. */
    static void startToolkit() throws TimeoutException {
        String display = System.getenv("DISPLAY");
        TestEnvironment.require(display != null && !display.isBlank(), "no DISPLAY: the UI tests need a display (run them under xvfb-run)");
        FxToolkit.registerPrimaryStage();
        Platform.setImplicitExit(false);
    }

    /** A run whose settings live in {@code dir}/config and whose library is {@code dir}/library.sqlite. */
    static LaunchOptions options(Path dir) {
        return new LaunchOptions(dir.resolve("config"), dir.resolve("library.sqlite"), null, null);
    }

    /** Settings as if {@code m} had been chosen before: one thread, answers of {@code maxAnswerTokens}; a test changes the rest. */
    static Settings settingsFor(TestModels.TestModel m, int maxAnswerTokens) {
        Settings s = new Settings();
        s.threads = 1;
        s.modelPath = m.checkpoint().toString();
        s.vocabPath = m.vocabulary().toString();
        s.maxAnswerTokens = maxAnswerTokens;
        return s;
    }

    /**
     * Settings in {@code config} as if the model had been chosen before: one thread, short answers (the tests stay
     * quick), a checkpoint every 1024 tokens, the document view shown or not.
     */
    static void rememberModel(Path config, TestModels.TestModel m, boolean documentViewShown) throws IOException {
        Settings s = settingsFor(m, 16);
        s.checkpointEvery = 1024;
        s.documentViewShown = documentViewShown;
        s.save(config);
    }

    /** Opens a window on a new stage, as the app does at start. */
    static ReaderWindow open(LaunchOptions options, FileDialogs dialogs) throws TimeoutException {
        return FxToolkit.setupFixture(() -> {
            ReaderWindow w = new ReaderWindow(new Stage(), options);
            w.setFileDialogs(dialogs);
            return w;
        });
    }

    /** A window on {@code options}' store, once the model its settings remember has loaded. */
    static ReaderWindow openWithModel(LaunchOptions options, FileDialogs dialogs) throws Exception {
        ReaderWindow w = open(options, dialogs);
        try {
            waitUntil("the model to load", 60, () -> service(w).model().isPresent());
            return w;
        } catch (RuntimeException | Error e) {
            close(w);
            throw e;
        }
    }

    /** The window's service, once its library is open. */
    static dev.goldfinch.app.ui.service.ReaderService service(ReaderWindow w) {
        try {
            return w.ready().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the window's library did not open", e);
        }
    }

    /** Closes a window as its close button does, and waits until its model and store are closed. */
    static void close(ReaderWindow w) throws Exception {
        if (w == null) return;
        WaitForAsyncUtils.asyncFx(w::close).get(10, TimeUnit.SECONDS);
        w.closed().get(120, TimeUnit.SECONDS);
    }

    static void waitUntil(String what, int seconds, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> onFx(condition::getAsBoolean));
        } catch (TimeoutException e) {
            fail("timed out after " + seconds + " s waiting for: " + what);
        }
    }

    static <T> T onFx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void runFx(Runnable r) {
        onFx(() -> {
            r.run();
            return null;
        });
    }

    static Optional<LibraryEntry> entry(ReaderWindow w, String titlePart) {
        return onFx(() -> w.library().entries().stream().filter(e -> e.title().contains(titlePart)).findFirst());
    }

    /** A node of the window by CSS selector ("#id"). */
    @SuppressWarnings("unchecked")
    static <T extends Node> Optional<T> node(ReaderWindow w, String selector) {
        return onFx(() -> Optional.ofNullable((T) w.stage().getScene().lookup(selector)));
    }

    /** A node of any showing window (a dialog's, for instance) by CSS selector. */
    @SuppressWarnings("unchecked")
    static <T extends Node> Optional<T> anyWindowNode(String selector) {
        return onFx(() -> Window.getWindows().stream().filter(Window::isShowing).map(win -> win.getScene().lookup(selector))
                .filter(java.util.Objects::nonNull).map(n -> (T) n).findFirst());
    }

    /** Writes a PNG of a scene (the window's content, without the frame) to target/screenshots/NAME.png. */
    static Path screenshot(Scene scene, String name) {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage img = onFx(() -> scene.snapshot(null));
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader pr = img.getPixelReader();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            pr.getPixels(0, y, w, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            ImageIO.write(out, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File choosers that answer with what the test put in them. */
    static final class ScriptedDialogs implements FileDialogs {
        volatile List<Path> documents = List.of();
        volatile Path checkpoint;
        volatile Path vocabulary;
        volatile Path store;
        /** The folder an export is saved in (under the name the window suggests), or null to cancel. */
        volatile Path exportFolder;
        volatile String suggestedExportName;
        /** The folders the window asked the file manager to show. */
        final List<Path> shownFolders = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void showFolder(Path folder) {
            shownFolders.add(folder);
        }

        @Override
        public List<Path> chooseDocuments(Window owner) {
            return documents;
        }

        @Override
        public Optional<Path> chooseCheckpoint(Window owner) {
            return Optional.ofNullable(checkpoint);
        }

        @Override
        public Optional<Path> chooseVocabulary(Window owner, Path near) {
            return Optional.ofNullable(vocabulary);
        }

        @Override
        public Optional<Path> chooseStore(Window owner, Path current) {
            return Optional.ofNullable(store);
        }

        @Override
        public Optional<Path> chooseExportFile(Window owner, String suggestedName) {
            suggestedExportName = suggestedName;
            return Optional.ofNullable(exportFolder).map(d -> d.resolve(suggestedName));
        }

        /** The folder a reading is exported to (under the name the window suggests), or null to cancel; the file imported. */
        volatile Path readingExportFolder;
        volatile Path readingImport;

        @Override
        public Optional<Path> chooseReadingExport(Window owner, String suggestedName) {
            return Optional.ofNullable(readingExportFolder).map(d -> d.resolve(suggestedName));
        }

        @Override
        public Optional<Path> chooseReadingImport(Window owner) {
            return Optional.ofNullable(readingImport);
        }
    }
}
