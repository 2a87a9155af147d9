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
 * released; records the Range headers it saw. {@code /redirect/PATH} answers 302 to {@code /PATH}, as Hugging Face
 * sends its downloads on to a CDN.
 */
final class LocalFileServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> rangesSeen = new CopyOnWriteArrayList<>();
    final List<Integer> statusesSent = new CopyOnWriteArrayList<>();
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

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/redirect/")) {
                ex.getResponseHeaders().set("Location", path.substring("/redirect".length()));
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
