package dev.goldfinch.app.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP server on 127.0.0.1 (never anything else) for the download tests: serves byte arrays by path with
 * Range support (206/416, ETag and If-Range), or ignoring Range, or a fixed error status; can stop mid-body until
 * released; records the Range headers and the paths it saw. {@code /redirect/PATH} answers 302 to {@code /PATH}, as
 * Hugging Face sends its downloads on to a CDN, with the file's record ({@code X-Linked-Etag}, {@code X-Linked-Size})
 * where one was set with {@link #record} — true or lying. {@code /OWNER/REPO/resolve/main/PATH} does the same for
 * {@code /files/OWNER/REPO/PATH}, and {@code /api/models/OWNER/REPO/tree/main[/FOLDER]} answers the listing set with
 * {@link #listing} (or {@link #listingStatus}), as the Hugging Face API does.
 */
final class LocalFileServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> rangesSeen = new CopyOnWriteArrayList<>();
    final List<Integer> statusesSent = new CopyOnWriteArrayList<>();
    final List<String> pathsSeen = new CopyOnWriteArrayList<>();
    private final Map<String, String[]> records = new ConcurrentHashMap<>();
    private final Map<String, String> listings = new ConcurrentHashMap<>();
    /** When not 0, every listing request gets this status (a hub that is down). */
    volatile int listingStatus;
    volatile boolean ignoreRange;
    volatile int forcedStatus;
    volatile String etag = "\"v1\"";
    /** When >= 0, a body stops after this many bytes (counted from the start of the file) until {@link #release()}. */
    volatile long stallAt = -1;
    volatile CountDownLatch stalled = new CountDownLatch(1);
    private volatile CountDownLatch released = new CountDownLatch(1);

    LocalFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    void put(String path, byte[] data) {
        files.put(path, data);
    }

    /** The record the redirect to {@code path} carries: X-Linked-Etag as given (quotes, W/ and all), X-Linked-Size; null leaves one out. */
    void record(String path, String etag, Long size) {
        records.put(path, new String[] {etag, size == null ? null : size.toString()});
    }

    /** The JSON the listing of {@code repo} (owner/name) and {@code folder} ("" for the top) answers. */
    void listing(String repo, String folder, String json) {
        listings.put("/api/models/" + repo + "/tree/main" + (folder.isEmpty() ? "" : "/" + folder), json);
    }

    /** A listing entry as Hugging Face writes one for an LFS file. */
    static String lfsFile(String path, long size, String sha256) {
        return """
                {"type": "file", "oid": "0123456789abcdef0123456789abcdef01234567", "size": %d, "path": "%s",
                 "lfs": {"oid": "%s", "size": %d, "pointerSize": 134}}""".formatted(size, path, sha256, size);
    }

    /** The server's own address, as the hub option of the downloader. */
    URI hub() {
        return uri("");
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void stallAt(long offset) {
        stalled = new CountDownLatch(1);
        released = new CountDownLatch(1);
        stallAt = offset;
    }

    void release() {
        stallAt = -1;
        released.countDown();
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/main/(.+)");

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            pathsSeen.add(path);
            if (path.startsWith("/api/models/")) {
                String json = listings.get(path);
                int status = listingStatus != 0 ? listingStatus : json == null ? 404 : 200;
                byte[] body = status == 200 ? json.getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
                ex.getResponseHeaders().set("Content-Type", "application/json");
                send(ex, status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) ex.getResponseBody().write(body);
                return;
            }
            Matcher hub = RESOLVE.matcher(path);
            if (path.startsWith("/redirect/") || hub.matches()) {
                String to = hub.matches() ? "/files/" + hub.group(1) + "/" + hub.group(2) : path.substring("/redirect".length());
                ex.getResponseHeaders().set("Location", to);
                String[] record = records.get(to);
                if (record != null && record[0] != null) ex.getResponseHeaders().set("X-Linked-Etag", record[0]);
                if (record != null && record[1] != null) ex.getResponseHeaders().set("X-Linked-Size", record[1]);
                send(ex, 302, -1);
                return;
            }
            if (forcedStatus != 0) {
                send(ex, forcedStatus, -1);
                return;
            }
            byte[] data = files.get(path);
            if (data == null) {
                send(ex, 404, -1);
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null) rangesSeen.add(range);
            String ifRange = ex.getRequestHeaders().getFirst("If-Range");
            ex.getResponseHeaders().set("ETag", etag);
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            long start = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches() && !ignoreRange && (ifRange == null || ifRange.equals(etag))) {
                start = Long.parseLong(m.group(1));
                if (start >= data.length) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
                    send(ex, 416, -1);
                    return;
                }
                ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
                send(ex, 206, data.length - start);
            } else {
                send(ex, 200, data.length);
            }
            OutputStream out = ex.getResponseBody();
            long pos = start;
            try {
                while (pos < data.length) {
                    long stop = stallAt;
                    if (stop >= 0 && pos >= stop) {
                        out.flush();
                        stalled.countDown();
                        released.await(30, TimeUnit.SECONDS);
                        continue;
                    }
                    int n = (int) Math.min(64 * 1024, data.length - pos);
                    if (stop >= 0 && stop > pos) n = (int) Math.min(n, stop - pos);
                    out.write(data, (int) pos, n);
                    pos += n;
                }
                out.flush();
            } catch (IOException | InterruptedException gone) {
                // the client went away (a paused download): fine
            }
        }
    }

    private void send(HttpExchange ex, int status, long length) throws IOException {
        statusesSent.add(status);
        ex.sendResponseHeaders(status, length);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
