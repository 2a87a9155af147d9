package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadProgress.bytes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.goldfinch.app.models.DownloadException.Kind;
import dev.goldfinch.app.models.DownloadProgress.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
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
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * Downloads model checkpoints and the vocabulary over HTTP(S), the way a person on a laptop needs it:
 * <ul>
 *   <li>into {@code FILE.part} beside the target, moved into place (atomically) only once complete and verified, so a
 *       file with the final name is always whole;</li>
 *   <li>pausable from another thread ({@link DownloadHandle#cancel()}) and resumable with an HTTP Range request
 *       (206), also after a crash; a server that ignores Range (200) or whose file changed (If-Range, size) makes it
 *       start over, a 416 is checked against what is there;</li>
 *   <li>the free disk space is checked before the first byte is written;</li>
 *   <li>the SHA-256 and the size are checked against what the catalogue (or the repository's listing) says and what
 *       the server's own record says ({@link ServerRecord}, read from the redirect before following it): a catalogue
 *       and a server that disagree stop the download before it starts; bytes that match neither are deleted. With no
 *       SHA-256 from anyone the file is kept but reported unverified ({@link DownloadedFile#verifiedBy()} null);</li>
 *   <li>the SHA-256 is computed while the bytes arrive (what a paused download kept is re-read first);</li>
 *   <li>every failure is a {@link DownloadException} with one line that says what happened, naming the host.</li>
 * </ul>
 * Which file a catalogue entry downloads is decided first ({@link #resolve}, {@link FileResolver}). A downloader
 * holds one HTTP client; close it when done. Its methods block: call them off a UI thread.
 */
public final class ModelDownloader implements AutoCloseable {

    private static final int MAX_ATTEMPTS = 3;
    private static final long REPORT_EVERY_NANOS = 200_000_000L;

    private final DownloadOptions options;
    private final HttpGet http;

    public ModelDownloader() {
        this(DownloadOptions.defaults());
    }

    public ModelDownloader(DownloadOptions options) {
        this.options = Objects.requireNonNull(options);
        this.http = new HttpGet(options);
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * Which file the entry downloads this time (see {@link FileResolver}): asks the repository's listing when the
     * entry has a rule. Show {@link ResolvedFile#found()} to the person downloading.
     */
    public ResolvedFile resolve(ModelCatalogue.Entry entry, DownloadHandle handle) throws DownloadException {
        DownloadHandle h = handle == null ? new DownloadHandle() : handle;
        return FileResolver.resolve(entry, options.hub(), address -> http.text(address, h));
    }

    /**
     * Downloads a catalogue entry and the vocabulary into {@code modelsDir}: a checkpoint already in place is used as
     * it is (checked again against the catalogue's SHA-256 when it is the catalogue's file), else the file is
     * resolved ({@link #resolve}) and downloaded. See {@link #downloadModel(ModelCatalogue, ResolvedFile, Path, Consumer, DownloadHandle)}.
     */
    public InstalledModel downloadModel(ModelCatalogue catalogue, ModelCatalogue.Entry entry, Path modelsDir,
                                   Consumer<DownloadProgress> progress, DownloadHandle handle) throws DownloadException {
        return downloadModel(catalogue, entry, modelsDir, progress, handle, found -> { });
    }

    /** As above; {@code found} hears {@link ResolvedFile#found()} (when not empty) before the transfer begins. */
    public InstalledModel downloadModel(ModelCatalogue catalogue, ModelCatalogue.Entry entry, Path modelsDir,
                                   Consumer<DownloadProgress> progress, DownloadHandle handle, Consumer<String> found) throws DownloadException {
        Optional<Path> present = ModelsFolder.checkpointIn(entry, modelsDir);
        ResolvedFile file;
        if (present.isPresent()) { // in place: used as it is, not replaced by a newer file of the listing
            String name = present.get().getFileName().toString();
            boolean cataloguesFile = name.equals(entry.file());
            file = new ResolvedFile(entry, name, cataloguesFile ? URI.create(entry.url()) : present.get().toUri(),
                    cataloguesFile ? entry.downloadBytes() : 0, cataloguesFile ? entry.sha256() : null, "the catalogue", "");
        } else {
            file = resolve(entry, handle);
        }
        if (!file.found().isEmpty()) found.accept(file.found());
        return downloadModel(catalogue, file, modelsDir, progress, handle);
    }

    /**
     * Downloads a resolved checkpoint and the vocabulary into {@code modelsDir} (files already in place are kept; a
     * vocabulary whose checksum is wrong is replaced), checking first that both fit on the disk. Beside the
     * checkpoint goes {@code <stem>.json} with its kind (chat or base), which is how the app and {@code info} tell a
     * chat model when the file name does not, and where it came from; what earlier downloads into the entry's folder
     * left unfinished is then deleted.
     */
    public InstalledModel downloadModel(ModelCatalogue catalogue, ResolvedFile file, Path modelsDir,
                                   Consumer<DownloadProgress> progress, DownloadHandle handle) throws DownloadException {
        ModelCatalogue.Entry entry = file.entry();
        Path ckpt = ModelsFolder.entryFolder(entry, modelsDir).resolve(file.file());
        Path vocab = ModelsFolder.vocabPath(catalogue, modelsDir);
        ModelCatalogue.Tokenizer tok = catalogue.tokenizer();
        LocalFiles.createDirectories(ckpt.getParent());
        long need = ModelsFolder.stillToCome(ckpt, file.expectedBytes()) + ModelsFolder.stillToCome(vocab, tok.bytes());
        if (need > 0) options.requireSpace(modelsDir, need, entry.name());
        download(new FileRequest(URI.create(tok.url()), vocab, tok.sha256(), tok.bytes()), progress, handle);
        DownloadedFile model = download(new FileRequest(file.url(), ckpt, file.sha256(), entry.expectedBytes(), file.exactBytes(), file.source()), progress, handle);
        if (model.alreadyPresent()) {
            String verifiedBy = model.verified() ? model.verifiedBy() : CheckpointJson.verifiedBy(ckpt);
            return new InstalledModel(entry, ckpt, vocab, verifiedBy, file.found());
        }
        CheckpointJson.write(ckpt, file, model);
        ModelsFolder.removeLeftovers(ckpt);
        return new InstalledModel(entry, ckpt, vocab, model.verifiedBy(), file.found());
    }

    // ---- one file -----------------------------------------------------------------------------------------------

    /**
     * Fetches one file (see the class comment). A target already in place is kept if its checksum matches, or
     * without looking when no checksum is known. {@code progress} and {@code handle} may be null.
     *
     * @throws DownloadException of kind {@link Kind#PAUSED} when cancelled through the handle or by interrupting the
     *                           thread; otherwise a one-line reason
     */
    public DownloadedFile download(FileRequest request, Consumer<DownloadProgress> progress, DownloadHandle handle) throws DownloadException {
        Consumer<DownloadProgress> listener = progress == null ? p -> { } : progress;
        DownloadHandle h = handle == null ? new DownloadHandle() : handle;
        Path target = request.target().toAbsolutePath();
        LocalFiles.createDirectories(target.getParent());
        Transfer t = new Transfer(request.withTarget(target), listener, h);
        // one download of a file at a time, across windows, commands and processes: two writers would ruin the .part
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        try (FileChannel lc = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = lc.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new DownloadException(Kind.BUSY, request.fileName() + " is already being downloaded into " + target.getParent()
                        + " (by another window or command); wait for it or stop it first");
            }
            try {
                return t.run();
            } finally {
                LocalFiles.deleteQuietly(lockFile); // while still holding the lock: whoever opens it next makes a new one
                lock.release();
            }
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadException(Kind.LOCAL_IO, "cannot lock " + lockFile + ": " + DownloadException.reason(e), e);
        }
    }

    private final class Transfer {
        final FileRequest req;
        final String name;
        final String host;
        final Path target;
        final Path part;
        final Path meta;
        final Consumer<DownloadProgress> listener;
        final DownloadHandle handle;
        MessageDigest digest;
        long total = -1;
        /** What the bytes must be: the request's SHA-256 and size, else the server's record of them, and who said so. */
        String sha;
        String shaFrom;
        long size;
        String sizeFrom;

        Transfer(FileRequest req, Consumer<DownloadProgress> listener, DownloadHandle handle) throws DownloadException {
            this.req = req;
            this.name = req.fileName();
            this.host = DownloadException.hostOf(req.url());
            this.target = req.target();
            this.part = PartialDownload.partFile(target);
            this.meta = PartialDownload.metaFile(target);
            this.listener = listener;
            this.handle = handle;
            expect(ServerRecord.NONE);
        }

        DownloadedFile run() throws DownloadException {
            if (Files.isRegularFile(target)) {
                long have = LocalFiles.sizeOrZero(target);
                if (req.sha256() == null) return new DownloadedFile(target, have, null, true, null);
                digest = sha256();
                hashExisting(target, have);
                String got = hex(digest);
                if (got.equals(req.sha256())) return new DownloadedFile(target, have, got, true, req.source());
                // not the expected file: fetch it anew; the old one is replaced only by a verified download
            }
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                if (once()) return finish();
                LocalFiles.deleteQuietly(part);
                LocalFiles.deleteQuietly(meta);
            }
            throw new DownloadException(Kind.INTERRUPTED, host + " keeps answering inconsistently for " + name
                    + " (partial answers that do not continue the file): try again later");
        }

        /**
         * Takes the server's record beside the request's expectations: where both give a SHA-256 (or a size) they must
         * agree, else nothing is downloaded; where only the server gives one, the bytes are checked against it.
         */
        private void expect(ServerRecord record) throws DownloadException {
            if (record.sha256() != null && req.sha256() != null && !record.sha256().equals(req.sha256())) {
                throw new DownloadException(Kind.MISMATCH, "the SHA-256 of " + name + " in " + req.source() + " (" + req.sha256()
                        + ") is not the one " + host + " records (" + record.sha256() + "): the file on the server is not the one expected; nothing was downloaded");
            }
            if (record.bytes() > 0 && req.exactBytes() > 0 && record.bytes() != req.exactBytes()) {
                throw new DownloadException(Kind.MISMATCH, name + " has " + req.exactBytes() + " bytes in " + req.source() + " but " + record.bytes()
                        + " in " + host + "'s record: the file on the server is not the one expected; nothing was downloaded");
            }
            sha = req.sha256() != null ? req.sha256() : record.sha256();
            shaFrom = req.sha256() != null ? req.source() : record.sha256() != null ? host + "'s record (X-Linked-Etag)" : null;
            size = req.exactBytes() > 0 ? req.exactBytes() : record.bytes();
            sizeFrom = req.exactBytes() > 0 ? req.source() : record.bytes() > 0 ? host + "'s record (X-Linked-Size)" : null;
        }

        /** One request; true when the .part holds the whole file (its digest computed), false to start over from zero. */
        private boolean once() throws DownloadException {
            PartialDownload m = PartialDownload.read(meta);
            long have = LocalFiles.sizeOrZero(part);
            if (have > 0 && m != null && (!m.url().equals(req.url().toString()) || m.total() > 0 && have > m.total())) return false;
            digest = sha256();
            total = m != null ? m.total() : -1;
            ServerRecord known = m != null ? m.record() : ServerRecord.NONE; // what the server said when the .part began
            expect(known);
            if (have > 0) hashExisting(part, have);
            if (have > 0 && total > 0 && have == total) return true; // complete before: only the verification was missing

            HttpRequest.Builder b = http.request(req.url());
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
                if (m != null && m.etag() != null) b.header("If-Range", m.etag());
            }
            listener.accept(new DownloadProgress(name, Phase.CONNECTING, have, total, 0, Double.NaN));
            HttpGet.Answer hops = http.follow(b, req.url(), handle, "download of " + name, () -> LocalFiles.sizeOrZero(part), this::expect);
            HttpResponse<InputStream> resp = hops.response();
            InputStream body = resp.body();
            ServerRecord record = hops.record().isEmpty() ? known : hops.record();
            long start;
            try {
                int status = resp.statusCode();
                if (status < 300 || status == 416) expect(record);
                switch (status) {
                    case 200 -> {
                        start = 0; // a fresh start: the server ignored Range, or the file changed since (If-Range)
                        digest.reset();
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
                    default -> {
                        HttpGet.closeQuietly(body);
                        throw statusError(status, resp.uri());
                    }
                }
                if (total > 0 && size > 0 && total != size) {
                    HttpGet.closeQuietly(body);
                    throw new DownloadException(Kind.MISMATCH, DownloadException.hostOf(resp.uri()) + " announces " + total + " bytes for " + name + " where "
                            + sizeFrom + " says " + size + "; refused, nothing more was downloaded");
                }
                if (total > 0 && req.sizeHint() > 0 && (total < req.sizeHint() / 2 || total > req.sizeHint() * 2)) {
                    HttpGet.closeQuietly(body);
                    throw new DownloadException(Kind.HTTP_STATUS, DownloadException.hostOf(resp.uri()) + " sent " + bytes(total) + " for " + name
                            + " where about " + bytes(req.sizeHint()) + " were expected (a network's sign-in page?); nothing was saved");
                }
                long need = (total > 0 ? total : size > 0 ? size : req.sizeHint()) - start;
                if (need > 0) options.requireSpace(part.getParent(), need, name);
                String etag = resp.headers().firstValue("etag").filter(e -> !e.startsWith("W/")).orElse(null);
                new PartialDownload(req.url().toString(), total, etag, record).write(meta);
            } catch (DownloadException | RuntimeException e) {
                HttpGet.closeQuietly(body);
                throw e;
            }
            long done = receive(body, start);
            if (total > 0 && done < total) {
                throw new DownloadException(Kind.INTERRUPTED, "the connection to " + host + " ended after " + bytes(done) + " of "
                        + bytes(total) + " of " + name + "; download again to resume");
            }
            if (total < 0) total = done;
            return true;
        }

        /** Streams the body into the .part from {@code start}, hashing as it goes; returns the bytes now in the .part. */
        private long receive(InputStream in, long start) throws DownloadException {
            long stallNanos = options.stallTimeout().toNanos();
            AtomicLong lastData = new AtomicLong(System.nanoTime());
            AtomicBoolean stalled = new AtomicBoolean();
            handle.onCancel(() -> HttpGet.closeQuietly(in));
            Thread watchdog = Thread.ofVirtual().name("download-watchdog").start(() -> {
                try {
                    while (true) {
                        Thread.sleep(Math.max(10, Math.min(1000, stallNanos / 4_000_000)));
                        if (System.nanoTime() - lastData.get() > stallNanos) {
                            stalled.set(true);
                            HttpGet.closeQuietly(in);
                            return;
                        }
                    }
                } catch (InterruptedException done) {
                    // the transfer ended
                }
            });
            long done = start;
            Rate rate = new Rate();
            try (in; FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                if (ch.size() > start) ch.truncate(start);
                ch.position(start);
                byte[] buf = new byte[1 << 18];
                long lastReport = 0;
                rate.add(System.nanoTime(), 0);
                while (true) {
                    if (stopped()) throw paused(done);
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        if (stopped()) throw paused(done);
                        if (stalled.get()) throw stalledError(done);
                        throw new DownloadException(Kind.INTERRUPTED, "the connection to " + host + " broke after " + bytes(done)
                                + (total > 0 ? " of " + bytes(total) : "") + " of " + name + " (" + DownloadException.reason(e) + "); download again to resume", e);
                    }
                    if (n < 0) break;
                    long now = System.nanoTime();
                    lastData.set(now);
                    digest.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) ch.write(bb);
                    done += n;
                    if (now - lastReport >= REPORT_EVERY_NANOS) {
                        lastReport = now;
                        rate.add(now, done - start);
                        double bps = rate.bytesPerSecond();
                        listener.accept(new DownloadProgress(name, Phase.DOWNLOADING, done, total, bps,
                                total > 0 && bps > 0 ? (total - done) / bps : Double.NaN));
                    }
                }
                if (stopped()) throw paused(done);
                if (stalled.get()) throw stalledError(done);
                ch.force(false);
                double bps = rate.bytesPerSecond();
                listener.accept(new DownloadProgress(name, Phase.DOWNLOADING, done, total, bps, 0));
                return done;
            } catch (ClosedByInterruptException e) {
                Thread.interrupted();
                Thread.currentThread().interrupt();
                throw paused(LocalFiles.sizeOrZero(part));
            } catch (IOException e) {
                if (e instanceof DownloadException de) throw de;
                if (stopped()) throw paused(LocalFiles.sizeOrZero(part));
                throw new DownloadException(Kind.LOCAL_IO, "cannot write " + part + ": " + DownloadException.reason(e), e);
            } finally {
                watchdog.interrupt();
                handle.clearOnCancel();
            }
        }

        private boolean stopped() {
            return handle.isCancelled() || Thread.currentThread().isInterrupted();
        }

        /** Checks the whole .part (size, checksum) and moves it into place. */
        private DownloadedFile finish() throws DownloadException {
            listener.accept(new DownloadProgress(name, Phase.VERIFYING, total, total, 0, 0));
            long have = LocalFiles.sizeOrZero(part);
            String got = hex(digest);
            if (total > 0 && have != total) {
                discard();
                throw new DownloadException(Kind.CORRUPT, name + " from " + host + " has " + have + " bytes where " + total
                        + " were announced; the damaged download was deleted, download again to start over");
            }
            if (size > 0 && have != size) {
                discard();
                throw new DownloadException(Kind.CORRUPT, name + " from " + host + " has " + have + " bytes where " + sizeFrom + " says "
                        + size + "; the download was deleted");
            }
            if (sha != null && !got.equals(sha)) {
                discard();
                throw new DownloadException(Kind.CORRUPT, "checksum mismatch for " + name + " from " + host + ": expected SHA-256 "
                        + sha + " (" + shaFrom + "), got " + got + "; the damaged download was deleted");
            }
            try {
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new DownloadException(Kind.LOCAL_IO, "cannot move " + part + " to " + target + ": " + DownloadException.reason(e), e);
            }
            LocalFiles.deleteQuietly(meta);
            listener.accept(new DownloadProgress(name, Phase.DONE, have, have, 0, 0));
            return new DownloadedFile(target, have, got, false, sha != null ? shaFrom : null);
        }

        private void discard() {
            LocalFiles.deleteQuietly(part);
            LocalFiles.deleteQuietly(meta);
        }

        /** Feeds the first {@code length} bytes of a file to the digest (a resumed download's checksum goes on from there). */
        private void hashExisting(Path file, long length) throws DownloadException {
            long t0 = System.nanoTime();
            long lastReport = t0;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                long pos = 0;
                while (pos < length) {
                    if (stopped()) throw paused(length);
                    buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
                    int n = ch.read(buf, pos);
                    if (n < 0) break;
                    buf.flip();
                    digest.update(buf);
                    pos += n;
                    long now = System.nanoTime();
                    if (now - lastReport >= REPORT_EVERY_NANOS) {
                        lastReport = now;
                        double bps = pos * 1e9 / (now - t0);
                        listener.accept(new DownloadProgress(name, Phase.CHECKING, pos, length, bps, (length - pos) / bps));
                    }
                }
            } catch (DownloadException e) {
                throw e;
            } catch (IOException e) {
                throw new DownloadException(Kind.LOCAL_IO, "cannot read " + file + ": " + DownloadException.reason(e), e);
            }
        }

        private DownloadException paused(long kept) {
            return new DownloadException(Kind.PAUSED, "download of " + name + " paused"
                    + (kept > 0 ? " with " + bytes(kept) + (total > 0 ? " of " + bytes(total) : "") + " kept" : "")
                    + "; download again to resume");
        }

        private DownloadException stalledError(long done) {
            return new DownloadException(Kind.INTERRUPTED, "no data from " + host + " for " + DownloadException.seconds(options.stallTimeout())
                    + " after " + bytes(done) + " of " + name + "; the connection seems lost, download again to resume");
        }

        private DownloadException statusError(int status, URI where) {
            String h = DownloadException.hostOf(where);
            String code = "HTTP " + status;
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

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    /** Bytes per second over the last few seconds. */
    private static final class Rate {
        private static final long WINDOW = 5_000_000_000L;
        private final ArrayDeque<long[]> samples = new ArrayDeque<>();

        void add(long nanos, long bytes) {
            samples.addLast(new long[] {nanos, bytes});
            while (samples.size() > 2 && nanos - samples.peekFirst()[0] > WINDOW) samples.removeFirst();
        }

        double bytesPerSecond() {
            if (samples.size() < 2) return 0;
            long[] a = samples.peekFirst();
            long[] b = samples.peekLast();
            return b[0] == a[0] ? 0 : (b[1] - a[1]) * 1e9 / (b[0] - a[0]);
        }
    }


}
