package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadException.hostOf;
import static dev.goldfinch.app.models.DownloadException.reason;
import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.DownloadException.Kind;
import dev.goldfinch.app.models.DownloadProgress.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * One file fetched into its {@code .part} and moved into place (what a download promises is in
 * {@link ModelDownloader}'s comment). A target already in place is kept when its SHA-256 matches, or without looking
 * when none is known. Otherwise up to three requests: each resumes what the {@code .part} holds (Range, with
 * If-Range on the ETag) or, when the server or the file says otherwise, starts over from zero; the whole file is
 * then checked against what was expected ({@link ExpectedFile}) and takes its final name.
 */
final class FileDownload {
    private static final int MAX_ATTEMPTS = 3;

    private final FileRequest req;
    private final Transfer t;
    private final DownloadOptions options;
    private final HttpGet http;
    private final Path target;
    private final Path part;
    private final Path meta;
    private RunningSha256 sha;
    /** The whole file's size as the server announced it, or -1 while unknown. */
    private long total = -1;
    private ExpectedFile expected;

    /** {@code req}'s target is absolute. */
    FileDownload(FileRequest req, DownloadOptions options, HttpGet http, Consumer<DownloadProgress> listener, DownloadHandle handle)
            throws DownloadException {
        this.req = req;
        this.t = new Transfer(req.fileName(), hostOf(req.url()), listener, handle);
        this.options = options;
        this.http = http;
        this.target = req.target();
        this.part = PartialDownload.partFile(target);
        this.meta = PartialDownload.metaFile(target);
        this.expected = ExpectedFile.of(req, ServerRecord.NONE);
    }

    DownloadedFile run() throws DownloadException {
        if (Files.isRegularFile(target)) {
            long have = LocalFiles.sizeOrZero(target);
            if (req.sha256() == null) return new DownloadedFile(target, have, null, true, null);
            sha = new RunningSha256();
            sha.feed(target, have, total, t);
            String got = sha.hex();
            if (got.equals(req.sha256())) return new DownloadedFile(target, have, got, true, req.source());
            // not the expected file: fetch it anew; the old one is replaced only by a verified download
        }
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                if (once()) return finish();
                discard();
            }
        } catch (DownloadException | RuntimeException e) {
            // Resumable only from bytes that arrived: a .part with none (a refusal, a failure before the body) is no use.
            if (LocalFiles.sizeOrZero(part) == 0) discard();
            throw e;
        }
        throw new DownloadException(Kind.INTERRUPTED, t.host() + " keeps answering inconsistently for " + t.name()
                + " (partial answers that do not continue the file): try again later");
    }

    private void expect(ServerRecord record) throws DownloadException {
        expected = ExpectedFile.of(req, record);
    }

    /** One request; true when the .part holds the whole file (its digest computed), false to start over from zero. */
    private boolean once() throws DownloadException {
        PartialDownload m = PartialDownload.read(meta);
        long have = LocalFiles.sizeOrZero(part);
        if (have > 0 && m != null && (!m.url().equals(req.url().toString()) || m.total() > 0 && have > m.total())) return false;
        sha = new RunningSha256();
        total = m != null ? m.total() : -1;
        ServerRecord known = m != null ? m.record() : ServerRecord.NONE; // what the server said when the .part began
        expect(known);
        if (have > 0) sha.feed(part, have, total, t);
        if (have > 0 && total > 0 && have == total) return true; // complete before: only the verification was missing

        HttpRequest.Builder b = http.request(req.url());
        if (have > 0) {
            b.header("Range", "bytes=" + have + "-");
            if (m != null && m.etag() != null) b.header("If-Range", m.etag());
        }
        t.report(Phase.CONNECTING, have, total, 0, Double.NaN);
        HttpGet.Answer answer = http.follow(b, req.url(), t.handle(), "download of " + t.name(), () -> LocalFiles.sizeOrZero(part), this::expect);
        HttpResponse<InputStream> resp = answer.response();
        InputStream body = resp.body();
        ServerRecord record = answer.record().isEmpty() ? known : answer.record();
        long start;
        try {
            int status = resp.statusCode();
            if (status < 300 || status == 416) expect(record);
            switch (status) {
                case 200 -> {
                    start = 0; // a fresh start: the server ignored Range, or the file changed since (If-Range)
                    sha.restart();
                    total = resp.headers().firstValueAsLong("content-length").orElse(-1);
                }
                case 206 -> {
                    ContentRange range = ContentRange.parse(resp.headers().firstValue("content-range").orElse(""));
                    if (range == null || range.start() != have) {
                        HttpGet.closeQuietly(body);
                        return false;
                    }
                    if (m != null && m.total() > 0 && range.total() > 0 && range.total() != m.total()) {
                        HttpGet.closeQuietly(body); // the file on the server is not the one partly downloaded
                        return false;
                    }
                    start = have;
                    total = range.total();
                }
                case 416 -> {
                    HttpGet.closeQuietly(body);
                    ContentRange range = ContentRange.parse(resp.headers().firstValue("content-range").orElse(""));
                    if (have > 0 && range != null && range.total() == have) {
                        total = have; // nothing left to fetch: the .part is the whole file
                        return true;
                    }
                    return false;
                }
                default -> throw statusError(status, resp.uri());
            }
            expected.checkAnnounced(total, req, resp.uri());
            long need = (total > 0 ? total : expected.size() > 0 ? expected.size() : req.sizeHint()) - start;
            if (need > 0) options.requireSpace(part.getParent(), need, t.name());
            String etag = resp.headers().firstValue("etag").filter(e -> !e.startsWith("W/")).orElse(null);
            new PartialDownload(req.url().toString(), total, etag, record).write(meta);
        } catch (DownloadException | RuntimeException e) {
            HttpGet.closeQuietly(body);
            throw e;
        }
        long done = new BodyReceiver(t, part, options.stallTimeout()).receive(body, start, total, sha);
        if (total > 0 && done < total) {
            throw new DownloadException(Kind.INTERRUPTED, "the connection to " + t.host() + " ended after " + bytes(done) + " of "
                    + bytes(total) + " of " + t.name() + "; download again to resume");
        }
        if (total < 0) total = done;
        return true;
    }

    /** Checks the whole .part (size, checksum) and moves it into place; a .part that fails is deleted. */
    private DownloadedFile finish() throws DownloadException {
        t.report(Phase.VERIFYING, total, total, 0, 0);
        long have = LocalFiles.sizeOrZero(part);
        String got = sha.hex();
        try {
            expected.check(have, total, got, req);
        } catch (DownloadException bad) {
            discard();
            throw bad;
        }
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DownloadException(Kind.LOCAL_IO, "cannot move " + part + " to " + target + ": " + reason(e), e);
        }
        LocalFiles.deleteQuietly(meta);
        t.report(Phase.DONE, have, have, 0, 0);
        return new DownloadedFile(target, have, got, false, expected.verifiedBy());
    }

    private void discard() {
        LocalFiles.deleteQuietly(part);
        LocalFiles.deleteQuietly(meta);
    }

    private DownloadException statusError(int status, URI where) {
        String h = hostOf(where);
        String code = "HTTP " + status;
        String name = t.name();
        return new DownloadException(Kind.HTTP_STATUS, switch (status) {
            case 404, 410 -> h + " has no " + name + " (" + code + "): the catalogue's address may be out of date: " + req.url();
            case 401, 403 -> h + " refused " + name + " (" + code + "): the file may have moved or need a sign-in: " + req.url();
            case 429 -> h + " is busy (" + code + ", too many requests): try again in a few minutes";
            default -> status >= 500
                    ? h + " failed to send " + name + " (" + code + "): a problem on the server's side, try again later"
                    : h + " answered " + code + " for " + name + ": " + req.url();
        });
    }
}
