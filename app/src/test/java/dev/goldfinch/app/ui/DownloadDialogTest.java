package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.anyWindowNode;
import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.node;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.open;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.goldfinch.app.models.DownloadOptions;
import dev.goldfinch.app.models.DownloadProgress;
import dev.goldfinch.app.models.MachineSpeed;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.models.ModelsFolder;
import dev.goldfinch.app.models.ReadingTime;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.view.DownloadDialog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * "Download…" on the first-start screen, in a real window (Xvfb in CI), against a local HTTP server on 127.0.0.1
 * serving the UI tests' small random-weight model and the real vocabulary through a test catalogue: the download
 * with its progress, pause and resume, the model loaded as if opened; and the one-line message when the server is
 * gone. Screenshots go to target/screenshots.
 */
class DownloadDialogTest {
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    private Server server;
    private ModelCatalogue catalogue;
    private TestModels.TestModel model;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    @BeforeEach
    void serve() throws Exception {
        model = TestModels.small();
        server = new Server();
        byte[] ckpt = Files.readAllBytes(model.checkpoint());
        byte[] vocab = Files.readAllBytes(model.vocabulary());
        server.files.put("/models/goldfinch-random-L3-D64.pth", ckpt);
        server.files.put("/vocab/rwkv_vocab_v20230424.txt", vocab);
        String base = "http://127.0.0.1:" + server.port();
        // A second, "too big" entry so the list shows more than one verdict.
        String json = """
                {
                  "tokenizer": {"file": "rwkv_vocab_v20230424.txt", "url": "%s/vocab/rwkv_vocab_v20230424.txt", "sha256": "%s", "bytes": %d},
                  "models": [
                    {"id": "test-random-l3", "name": "GoldFinch random L3-D64 (test)", "kind": "chat", "architecture": "goldfinch",
                     "file": "goldfinch-random-L3-D64.pth", "url": "%s/models/goldfinch-random-L3-D64.pth", "download_bytes": %d,
                     "parameters": 4300000, "license": "Apache-2.0", "note": "Random weights served by the test.", "sha256": "%s"},
                    {"id": "test-huge", "name": "Enormous (test)", "kind": "base", "architecture": "goldfinch",
                     "file": "huge.pth", "url": "%s/models/huge.pth", "download_bytes": 4000000000000,
                     "parameters": 2000000000000, "license": "MIT", "note": "Far too big for any test machine.", "sha256": null}
                  ]
                }
                """.formatted(base, sha256(vocab), vocab.length, base, ckpt.length, sha256(ckpt), base);
        Path file = dir.resolve("catalogue.json");
        Files.writeString(file, json);
        catalogue = ModelCatalogue.load(file);

        Settings s = new Settings();
        s.threads = 1;
        s.maxAnswerTokens = 24;
        s.modelsDir = dir.resolve("models").toString();
        s.save(dir.resolve("config"));
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.stop();
    }

    private ReaderWindow openWindow() throws Exception {
        ReaderWindow w = open(UiTestSupport.options(dir), new ScriptedDialogs());
        onFx(() -> {
            w.models().setCatalogue(catalogue);
            w.models().setDownloaderOptions(DownloadOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10)));
            return null;
        });
        waitUntil("the first-start screen", 30, () -> node(w, "#download-model").map(Node::isVisible).orElse(false));
        return w;
    }

    private static DownloadDialog dialog(ReaderWindow w) {
        return onFx(() -> w.models().downloadDialog().orElseThrow());
    }

    private static String text(String selector) {
        return onFx(() -> anyWindowNode(selector).map(n -> ((Label) n).getText()).orElse(""));
    }

    @Test
    void downloadsPausesResumesAndLoadsTheModelAsIfOpened() throws Exception {
        ReaderWindow w = openWindow();
        try {
            assertTrue(onFx(() -> !node(w, "#download-model").orElseThrow().isDisabled()), "Download… is enabled");
            screenshot(w.stage().getScene(), "dl-01-first-start");
            robot.clickOn(node(w, "#download-model").orElseThrow());
            waitUntil("the download dialog", 10, () -> w.models().downloadDialog().isPresent());
            DownloadDialog d = dialog(w);
            @SuppressWarnings("unchecked")
            TableView<ModelCatalogue.Entry> table = (TableView<ModelCatalogue.Entry>) onFx(() -> d.stage().getScene().lookup("#download-table"));
            assertEquals("test-random-l3", onFx(() -> table.getSelectionModel().getSelectedItem().id()), "the recommended model is preselected");
            assertEquals(2, onFx(() -> table.getItems().size()));
            String why = text("#download-recommendation");
            assertTrue(why.startsWith("GoldFinch random L3-D64 (test) is recommended: the largest chat model that fits this machine's")
                    && why.contains("within 30 minutes"), why);
            // the reading time at this machine's measured speed (how loaded the machine is decides "under 1 min" or "about 2 min")
            String reads = ReadingTime.describe(ReadingTime.of(catalogue, MachineSpeed.prefillFlops()).documentSeconds(catalogue.byId("test-random-l3").orElseThrow()));
            assertTrue(reads.equals("under 1 min") || reads.matches("about \\d+ min"), reads);
            assertTrue(onFx(() -> table.getColumns().stream().anyMatch(c -> c.getText().equals("Reads 100 pages"))
                    && table.getColumns().stream().filter(c -> c.getText().equals("Reads 100 pages"))
                    .allMatch(c -> String.valueOf(c.getCellData(0)).equals(reads))), "the reading time beside each entry");
            assertTrue(text("#download-note").contains("Reads a 100-page document (50k tokens) in " + reads + " here"), text("#download-note"));
            screenshot(d.stage().getScene(), "dl-02-catalogue");

            // Slow the server so there is time to pause half-way.
            server.bytesPerSecond = 4_000_000;
            robot.clickOn(onFx(() -> d.stage().getScene().lookup("#download-start")));
            waitUntil("the checkpoint to be downloading", 30, () -> text("#download-status").contains("goldfinch-random-L3-D64.pth")
                    && text("#download-status").contains("%"));
            screenshot(d.stage().getScene(), "dl-03-downloading");
            robot.clickOn(onFx(() -> d.stage().getScene().lookup("#download-pause")));
            waitUntil("the download to pause", 20, () -> text("#download-status").startsWith("Paused"));
            Path models = dir.resolve("models");
            ModelCatalogue.Entry entry = catalogue.byId("test-random-l3").orElseThrow();
            long kept = ModelsFolder.partialBytes(entry, models);
            assertTrue(kept > 0, "the paused download kept its part");
            String resume = onFx(() -> ((Button) d.stage().getScene().lookup("#download-start")).getText());
            assertTrue(resume.startsWith("Resume (") && resume.contains("kept"), resume);
            screenshot(d.stage().getScene(), "dl-04-paused");

            server.bytesPerSecond = 0;
            server.ranges.clear();
            robot.clickOn(onFx(() -> d.stage().getScene().lookup("#download-start")));
            waitUntil("the model to be downloaded and loaded", 120, () -> text("#download-status").contains("is ready"));
            assertTrue(server.ranges.stream().anyMatch(r -> r.startsWith("bytes=") && !r.equals("bytes=0-")), "resumed with a Range: " + server.ranges);
            assertTrue(text("#download-status").contains(": done, " + DownloadProgress.bytes(entry.downloadBytes())), text("#download-status"));
            assertEquals(1.0, onFx(() -> ((ProgressBar) d.stage().getScene().lookup("#download-progress")).getProgress()));
            assertEquals("", text("#download-error"));
            screenshot(d.stage().getScene(), "dl-05-done");

            waitUntil("the main window to be ready with the downloaded model", 60,
                    () -> w.ready().join().model().isPresent() && node(w, "#library").isPresent()
                            && w.statusBar().modelLabel().getText().contains("goldfinch-random"));
            Path ckpt = ModelsFolder.installed(catalogue, entry, models).orElseThrow().checkpoint();
            assertEquals(models.resolve("test-random-l3").resolve("goldfinch-random-L3-D64.pth"), ckpt);
            assertEquals(Files.size(model.checkpoint()), Files.size(ckpt));
            Settings saved = Settings.load(dir.resolve("config"));
            assertEquals(ckpt.toAbsolutePath().normalize().toString(), saved.modelPath);
            assertEquals(ModelsFolder.vocabPath(catalogue, models).toAbsolutePath().normalize().toString(), saved.vocabPath);
            screenshot(w.stage().getScene(), "dl-06-main-window-ready");
            robot.clickOn(onFx(() -> d.stage().getScene().lookup("#download-close")));
            waitUntil("the dialog to close", 10, () -> w.models().downloadDialog().isEmpty());
        } finally {
            close(w);
        }
    }

    @Test
    void aStoppedServerShowsTheOfflineMessage() throws Exception {
        ReaderWindow w = openWindow();
        try {
            server.stop();
            server = null;
            robot.clickOn(node(w, "#download-model").orElseThrow());
            waitUntil("the download dialog", 10, () -> w.models().downloadDialog().isPresent());
            DownloadDialog d = dialog(w);
            robot.clickOn(onFx(() -> d.stage().getScene().lookup("#download-start")));
            waitUntil("the offline message", 30, () -> !text("#download-error").isEmpty());
            String error = text("#download-error");
            assertTrue(error.contains("cannot reach 127.0.0.1") && error.contains("offline"), error);
            assertTrue(!onFx(() -> d.stage().getScene().lookup("#download-start").isDisabled()), "Download can be tried again");
            assertTrue(onFx(() -> d.stage().getScene().lookup("#download-pause").isDisabled()));
            screenshot(d.stage().getScene(), "dl-07-offline");
            assertTrue(w.ready().join().model().isEmpty(), "no model was loaded");
        } finally {
            close(w);
        }
    }

    /** The shipped catalogue for a 16 GB, 320 GFLOP/s machine: G1 2.9B preselected, the reason said, reading times beside each entry. */
    @Test
    void theShippedCatalogueRecommendsByMemoryAndSpeed() throws Exception {
        ModelCatalogue shipped = ModelCatalogue.load();
        DownloadDialog d = onFx(() -> {
            DownloadDialog dialog = new DownloadDialog(null, shipped, dir.resolve("models"), 16_000_000_000L, 320e9,
                    DownloadOptions.defaults(), installed -> { });
            dialog.show();
            return dialog;
        });
        try {
            @SuppressWarnings("unchecked")
            TableView<ModelCatalogue.Entry> table = (TableView<ModelCatalogue.Entry>) onFx(() -> d.stage().getScene().lookup("#download-table"));
            assertEquals("rwkv7-g1-2b9", onFx(() -> table.getSelectionModel().getSelectedItem().id()));
            assertEquals(shipped.models().size(), onFx(() -> table.getItems().size()));
            String why = onFx(() -> ((Label) d.stage().getScene().lookup("#download-recommendation")).getText());
            assertTrue(why.startsWith("RWKV-7 G1 2.9B is recommended: the largest RWKV-7 G1 model"), why);
            List<String> times = onFx(() -> {
                var column = table.getColumns().stream().filter(c -> c.getText().equals("Reads 100 pages")).findFirst().orElseThrow();
                return table.getItems().stream().map(e -> String.valueOf(column.getCellData(e))).toList();
            });
            assertEquals("about 14 min", times.get(table.getItems().indexOf(shipped.byId("rwkv7-g1-2b9").orElseThrow())));
            assertTrue(times.stream().allMatch(t -> t.startsWith("about ") || t.equals("under 1 min")), times.toString());
            screenshot(d.stage().getScene(), "dl-08-shipped-catalogue");
        } finally {
            onFx(() -> {
                d.stage().close();
                return null;
            });
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Files by path on 127.0.0.1, with Range (206) and an optional rate limit. */
    private static final class Server {
        private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
        final Map<String, byte[]> files = new ConcurrentHashMap<>();
        final List<String> ranges = new CopyOnWriteArrayList<>();
        volatile long bytesPerSecond;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final HttpServer http;

        Server() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.setExecutor(executor);
            http.createContext("/", this::handle);
            http.start();
        }

        int port() {
            return http.getAddress().getPort();
        }

        void stop() {
            http.stop(0);
            executor.shutdownNow();
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] data = files.get(ex.getRequestURI().getPath());
                if (data == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.getResponseHeaders().set("ETag", "\"v1\"");
                ex.getResponseHeaders().set("Accept-Ranges", "bytes");
                String range = ex.getRequestHeaders().getFirst("Range");
                long start = 0;
                Matcher m = range == null ? null : RANGE.matcher(range);
                if (m != null && m.matches()) {
                    ranges.add(range);
                    start = Long.parseLong(m.group(1));
                    if (start >= data.length) {
                        ex.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
                        ex.sendResponseHeaders(416, -1);
                        return;
                    }
                    ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
                    ex.sendResponseHeaders(206, data.length - start);
                } else {
                    ex.sendResponseHeaders(200, data.length);
                }
                OutputStream out = ex.getResponseBody();
                try {
                    for (long pos = start; pos < data.length; ) {
                        int n = (int) Math.min(64 * 1024, data.length - pos);
                        out.write(data, (int) pos, n);
                        pos += n;
                        long rate = bytesPerSecond;
                        if (rate > 0) Thread.sleep(Math.max(1, n * 1000L / rate));
                    }
                    out.flush();
                } catch (IOException | InterruptedException gone) {
                    // the client went away (a paused download)
                }
            }
        }
    }
}
