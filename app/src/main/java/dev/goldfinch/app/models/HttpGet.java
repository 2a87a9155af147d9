package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadException.hostOf;
import static dev.goldfinch.app.models.DownloadException.reason;
import static dev.goldfinch.app.models.DownloadException.seconds;
import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * The GET requests of downloads, on one HTTP/1.1 client. Redirects are followed here, not by the client: Hugging
 * Face's redirect to its CDN carries the file's record ({@link ServerRecord}), which is seen, and checked, before the
 * redirect is followed; a redirect from https to plain http is refused. A pause (the handle, or an interrupt) aborts
 * the wait for an answer; a request that gets none is one line that says why (offline, a name that does not
 * resolve, a secure connection that fails).
 */
final class HttpGet implements AutoCloseable {
    static final String USER_AGENT = "GoldFinch-Reader/0.1 (java.net.http)";
    private static final int MAX_REDIRECTS = 8;
    private static final int MAX_LISTING_BYTES = 16 << 20;

    /** The final answer of a request and the first server record seen on the way (on a redirect, at Hugging Face). */
    record Answer(HttpResponse<InputStream> response, ServerRecord record) {
    }

    /** Looks at a server's record as soon as it arrives, to refuse a file before its redirect is followed. */
    @FunctionalInterface
    interface RecordCheck {
        void check(ServerRecord record) throws DownloadException;
    }

    private final DownloadOptions options;
    private final HttpClient client;

    HttpGet(DownloadOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER) // by hand, in follow(): a redirect may carry the record
                .connectTimeout(options.connectTimeout())
                .build();
    }

    @Override
    public void close() {
        client.shutdownNow();
        try {
            client.awaitTermination(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A GET of {@code address} that waits {@code responseTimeout} for its answer; the caller adds its own headers. */
    HttpRequest.Builder request(URI address) {
        return HttpRequest.newBuilder(address).GET().timeout(options.responseTimeout()).header("User-Agent", USER_AGENT);
    }

    /** The body of a small text answer (a listing), redirects followed; a one-line reason otherwise. */
    String text(URI address, DownloadHandle handle) throws DownloadException {
        String host = hostOf(address);
        HttpRequest.Builder b = request(address).header("Accept", "application/json");
        // without the host: the messages of follow() name it themselves
        HttpResponse<InputStream> resp = follow(b, address, handle, "the listing", () -> 0L, record -> { }).response();
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new DownloadException(Kind.HTTP_STATUS, hostOf(resp.uri()) + " answered HTTP " + resp.statusCode() + " for " + address.getPath());
            }
            byte[] body = in.readNBytes(MAX_LISTING_BYTES);
            return new String(body, StandardCharsets.UTF_8);
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            if (handle.isCancelled()) throw new DownloadException(Kind.PAUSED, "paused while asking " + host + " for the listing");
            throw new DownloadException(Kind.INTERRUPTED, "the listing from " + host + " broke off: " + reason(e), e);
        }
    }

    /**
     * Sends the request and follows its redirects (the same headers, Range included, go along each hop), checking
     * the first server record on the way; {@code what} names the request in messages (without the host, which they
     * name themselves), {@code kept} says how many bytes a pause keeps.
     */
    Answer follow(HttpRequest.Builder template, URI start, DownloadHandle handle, String what, LongSupplier kept,
                  RecordCheck check) throws DownloadException {
        URI at = start;
        ServerRecord record = ServerRecord.NONE;
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> resp = send(template.copy().uri(at).build(), handle, what, kept);
            if (record.isEmpty()) {
                record = ServerRecord.of(resp.headers());
                if (!record.isEmpty()) {
                    try {
                        check.check(record);
                    } catch (DownloadException refused) {
                        closeQuietly(resp.body());
                        throw refused;
                    }
                }
            }
            Optional<String> location = resp.headers().firstValue("location");
            if (!isRedirect(resp.statusCode()) || location.isEmpty()) return new Answer(resp, record);
            closeQuietly(resp.body());
            URI next = at.resolve(location.get().trim());
            if ("https".equalsIgnoreCase(at.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new DownloadException(Kind.HTTP_STATUS, hostOf(at) + " redirected " + what + " to an insecure address (" + next + "); refused");
            }
            if (hop >= MAX_REDIRECTS) throw new DownloadException(Kind.HTTP_STATUS, hostOf(start) + " redirects " + what + " too many times");
            at = next;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Sends, waiting for the answer's headers; a pause (handle or interrupt) aborts the wait. */
    private HttpResponse<InputStream> send(HttpRequest request, DownloadHandle handle, String what, LongSupplier kept)
            throws DownloadException {
        if (handle.isCancelled()) throw pausedBeforeAnswer(what, kept.getAsLong());
        CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        handle.onCancel(() -> f.cancel(true));
        try {
            HttpResponse<InputStream> resp = f.get();
            if (handle.isCancelled()) {
                closeQuietly(resp.body());
                throw pausedBeforeAnswer(what, kept.getAsLong());
            }
            return resp;
        } catch (CancellationException e) {
            throw pausedBeforeAnswer(what, kept.getAsLong());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw pausedBeforeAnswer(what, kept.getAsLong());
        } catch (ExecutionException e) {
            if (handle.isCancelled()) throw pausedBeforeAnswer(what, kept.getAsLong());
            throw unreachable(e.getCause() == null ? e : e.getCause(), hostOf(request.uri()), what);
        } finally {
            handle.clearOnCancel();
        }
    }

    private static DownloadException pausedBeforeAnswer(String what, long kept) {
        return new DownloadException(Kind.PAUSED, what + " paused" + (kept > 0 ? " with " + bytes(kept) + " kept" : "") + "; download again to resume");
    }

    /** The request never got an answer: the one-line "you seem to be offline" and its reason. */
    private DownloadException unreachable(Throwable t, String host, String what) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpTimeoutException || c instanceof SocketTimeoutException) {
                Duration waited = c instanceof HttpConnectTimeoutException ? options.connectTimeout() : options.responseTimeout();
                return new DownloadException(Kind.OFFLINE, "cannot reach " + host + ": no answer within " + seconds(waited)
                        + "; you seem to be offline", t);
            }
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return new DownloadException(Kind.OFFLINE, "cannot reach " + host + ": the name does not resolve; you seem to be offline", t);
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
                String why = c.getMessage() == null || c.getMessage().isBlank() ? "connection refused" : c.getMessage();
                return new DownloadException(Kind.OFFLINE, "cannot reach " + host + ": you seem to be offline (" + why + ")", t);
            }
            if (c instanceof SSLException) {
                return new DownloadException(Kind.OFFLINE, "no secure connection to " + host + " (" + reason(c)
                        + "): a network that intercepts connections, or a wrong system clock?", t);
            }
        }
        return new DownloadException(Kind.INTERRUPTED, what + " from " + host + " failed: " + reason(t), t);
    }

    /** Closes a response body that is not wanted (or no longer): best effort. */
    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
