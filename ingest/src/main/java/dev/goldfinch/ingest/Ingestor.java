package dev.goldfinch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.tika.mime.MediaType;

import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.pdf.PdfExtractor;
import dev.goldfinch.ingest.pdf.Tesseract;

/**
 * Reads documents into {@link IngestedDocument}s: the one entry point of this module.
 *
 * <p>For each file: refuse it if it is missing, not a regular file (a pipe, a device), empty or over
 * {@link IngestOptions#maxFileBytes()}; hash its bytes; check zip-based files for bombs ({@link ArchiveGuard});
 * detect its format from the content and refuse it if the extension says something else; then read it: PDF with PDFBox ({@link PdfExtractor}; its scanned pages OCRed
 * with tesseract if {@link IngestOptions#ocr()} is on, see {@link Tesseract}), plain text and Markdown
 * with encoding detection ({@link PlainTextExtractor}), everything else with Tika ({@link TikaExtractor}). Any
 * failure comes out as an {@link IngestException} with a one-line message.
 *
 * <p><b>Time limit.</b> All of that runs on a fresh worker thread, and the caller waits with
 * {@code Future.get(timeLimit)}. When time is up the caller gets {@link Reason#TIMEOUT} at once; the worker is
 * interrupted and its cancel flag set, which the extractors poll between pages and on every chunk of text (and OCR
 * every 50 ms while tesseract runs: the tesseract processes are killed). The message says what a long step had
 * done ("OCR had read 12 of 80 scanned pages"), so that the limit can be raised knowingly. A parser
 * stuck inside a library loop that polls neither cannot be stopped from Java: its thread is then abandoned. It is a
 * daemon thread, so it never keeps the JVM from exiting, but it keeps using a core and whatever memory it holds
 * until the parser returns (or forever, if it never does).
 *
 * <p>Thread-safe: one Ingestor may read several files at once.
 */
public final class Ingestor {
    private static final System.Logger LOG = System.getLogger(Ingestor.class.getName());

    /** How a job is read, once the cheap checks are done; replaceable in tests (a parser that hangs). */
    @FunctionalInterface
    interface Reader {
        IngestedDocument read(Job job);
    }

    private final Reader reader;

    public Ingestor() {
        this.reader = Ingestor::read;
    }

    Ingestor(Reader reader) {
        this.reader = reader;
    }

    public IngestedDocument ingest(Path file) {
        return ingest(file, IngestOptions.defaults());
    }

    /**
     * Reads one document.
     *
     * @throws IngestException with a {@link Reason} and a one-line message if it cannot be read
     */
    public IngestedDocument ingest(Path file, IngestOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        Job job = new Job(file, options);
        precheck(job);
        FutureTask<IngestedDocument> task = new FutureTask<>(() -> reader.read(job));
        Thread worker = Thread.ofPlatform().daemon().name("goldfinch-ingest " + job.name()).unstarted(task);
        worker.start();
        try {
            return task.get(options.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String doing = job.activity();
            job.cancel();
            task.cancel(true);
            LOG.log(System.Logger.Level.WARNING, "gave up on " + file + " after " + options.timeLimit()
                    + "; its parser thread " + worker.getName() + " is abandoned if it does not stop");
            throw timedOut(job, doing);
        } catch (InterruptedException e) {
            job.cancel();
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw job.fail(Reason.TIMEOUT, "was not read: reading was interrupted");
        } catch (ExecutionException e) {
            throw unwrap(job, e.getCause());
        }
    }

    private static IngestException timedOut(Job job, String doing) {
        return job.fail(Reason.TIMEOUT, "took longer than " + seconds(job.options) + " to read and was given up"
                + (doing == null ? "" : " (" + doing + ")"));
    }

    private static String seconds(IngestOptions options) {
        long ms = options.timeLimit().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format("%.1f s", ms / 1000.0);
    }

    private static RuntimeException unwrap(Job job, Throwable cause) {
        if (job.options.cancelled().getAsBoolean()) {
            // whatever the parser threw on its way out (tesseract killed, a page cut short), the caller stopped it
            return job.fail(Reason.CANCELLED, "was not read: reading was cancelled");
        }
        if (cause instanceof IngestException ie) {
            return ie;
        }
        if (cause instanceof CancellationException) {
            return timedOut(job, job.activity());
        }
        LOG.log(System.Logger.Level.DEBUG, "failed to read " + job.file, cause);
        if (cause instanceof OutOfMemoryError) {
            return job.fail(Reason.TOO_LARGE, "needs more memory to read than this program has", cause);
        }
        return job.fail(Reason.CORRUPT, "could not be read (" + IngestException.brief(cause) + ")", cause);
    }

    /** Existence, size and emptiness: cheap, on the caller's thread. */
    private static void precheck(Job job) {
        Path file = job.file;
        if (Files.isDirectory(file)) {
            throw job.fail(Reason.UNREADABLE, "is a folder, not a file (import it as a folder)");
        }
        long size;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            // A pipe would be read until a writer closes it (forever), /dev/zero never ends, and a /proc file says
            // it holds 0 bytes whatever it holds: none is a document.
            if (!a.isRegularFile() || onPseudoFileSystem(file)) {
                throw job.fail(Reason.UNREADABLE, "is not a regular file (a pipe, a device or a /proc file)");
            }
            size = a.size();
        } catch (NoSuchFileException e) {
            throw job.fail(Reason.UNREADABLE, "does not exist");
        } catch (IOException e) {
            throw job.fail(Reason.UNREADABLE, "cannot be read (" + IngestException.brief(e) + ")", e);
        }
        if (!Files.isReadable(file)) {
            throw job.fail(Reason.UNREADABLE, "cannot be read (permission denied)");
        }
        if (size == 0) {
            throw job.fail(Reason.EMPTY, "is empty (0 bytes)");
        }
        if (size > job.options.maxFileBytes()) {
            throw job.fail(Reason.TOO_LARGE, "is " + megabytes(size) + ", over the " + megabytes(job.options.maxFileBytes())
                    + " limit");
        }
    }

    /** Kernel file systems whose files are made up as they are read (the engine's InputFiles knows the same list). */
    private static final Set<String> PSEUDO_FILE_SYSTEMS = Set.of("proc", "sysfs", "debugfs", "tracefs", "securityfs",
            "configfs", "cgroup", "cgroup2", "efivarfs", "bpf", "pstore", "fusectl", "binfmt_misc");

    private static boolean onPseudoFileSystem(Path file) {
        try {
            return PSEUDO_FILE_SYSTEMS.contains(Files.getFileStore(file).type().toLowerCase(Locale.ROOT));
        } catch (IOException | RuntimeException e) {
            return false; // no mount table to ask: the size checks still apply
        }
    }

    static String megabytes(long bytes) {
        if (bytes < 1 << 20) {
            return String.format("%.1f KB", bytes / 1024.0).replace(".0 ", " ");
        }
        return String.format("%.1f MB", bytes / (double) (1 << 20)).replace(".0 ", " ");
    }

    /** The whole reading of one file; runs on the worker thread. */
    private static IngestedDocument read(Job job) {
        String hash = sha256(job);
        MediaType content;
        byte[] head;
        try {
            head = ArchiveGuard.head(job.file, 1024);
            if (ArchiveGuard.looksLikeZip(head)) {
                ArchiveGuard.check(job); // before the detector, which opens Office packages and parses their metadata
            }
            content = Formats.byContent(job.file, head);
        } catch (AccessDeniedException e) {
            throw job.fail(Reason.UNREADABLE, "cannot be read (permission denied)", e);
        } catch (IOException e) {
            throw job.fail(Reason.UNREADABLE, "cannot be read (" + IngestException.brief(e) + ")", e);
        }
        MediaType named = Formats.byName(job.name());
        job.check();
        if (content.equals(Formats.OCTET)) {
            if (Formats.isPlainText(named)) {
                content = named; // e.g. UTF-16 text without a BOM; the text reader decides
            } else if (!named.equals(Formats.OCTET)) {
                throw job.fail(Reason.CORRUPT, "is not a valid " + stripArticle(Formats.describe(named))
                        + ": its content is not recognisable (damaged?)");
            } else {
                throw job.fail(Reason.UNSUPPORTED, "is not in a format GoldFinch can read");
            }
        } else if (!Formats.compatible(content, named)) {
            String ext = Formats.extension(content);
            throw job.fail(Reason.MISLABELLED, "is really " + Formats.describe(content) + ", not "
                    + Formats.describe(named) + " as its name says" + (ext.isEmpty() ? "" : " (rename it to " + ext + ")"));
        }
        if (Formats.lineage(named).contains(content)) {
            content = named; // the name is more specific: Markdown rather than text, docx rather than zip
        }
        if (Formats.isUnreadableMedia(content)) {
            boolean image = content.getType().equals("image");
            throw job.fail(Reason.UNSUPPORTED, "is " + Formats.describe(content) + ", not a document"
                    + (image ? "; reading text from pictures needs OCR"
                            + (Tesseract.available() ? "" : " (tesseract is not installed)") : ""));
        }
        if (content.equals(Formats.PDF)) {
            return PdfExtractor.extract(job, hash); // OCRs scanned pages itself when asked to
        }
        if (Formats.isPlainText(content)) {
            return PlainTextExtractor.extract(job, hash, content);
        }
        return TikaExtractor.extract(job, hash, content);
    }

    private static String stripArticle(String s) {
        return s.startsWith("a ") ? s.substring(2) : s.startsWith("an ") ? s.substring(3) : s;
    }

    /**
     * A file's content hash (SHA-256 of its bytes, lower-case hex), the one {@link IngestedDocument#contentHash()} holds:
     * what a library can look a file up by before reading it.
     */
    public static String contentHash(Path file) {
        return sha256(new Job(file, IngestOptions.defaults()));
    }

    /** SHA-256 of the file's bytes, lower-case hex. */
    static String sha256(Job job) {
        try (InputStream in = Files.newInputStream(job.file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            long since = 0;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                since += n;
                if (since > 16 << 20) {
                    job.check();
                    since = 0;
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw job.fail(Reason.UNREADABLE, "cannot be read (" + IngestException.brief(e) + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ many files

    /** Reads every file in {@code files}, in order; a failure is recorded and the next file read. */
    public ImportReport ingestAll(List<Path> files, IngestOptions options, Consumer<String> progress) {
        List<ImportReport.Imported> ok = new ArrayList<>();
        List<ImportReport.Failed> failed = new ArrayList<>();
        int i = 0;
        for (Path f : files) {
            i++;
            try {
                ok.add(new ImportReport.Imported(f, ingest(f, options)));
                progress.accept("[" + i + "/" + files.size() + "] " + f.getFileName() + ": ok");
            } catch (IngestException e) {
                failed.add(new ImportReport.Failed(f, e));
                progress.accept("[" + i + "/" + files.size() + "] " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "unexpected failure on " + f, e);
                IngestException ie = new IngestException(Reason.CORRUPT, f,
                        f.getFileName() + " could not be read (" + IngestException.brief(e) + ")", e);
                failed.add(new ImportReport.Failed(f, ie));
                progress.accept("[" + i + "/" + files.size() + "] " + ie.getMessage());
            }
        }
        return new ImportReport(ok, failed);
    }

    /**
     * Reads every file under {@code folder} (sub-folders too, up to 16 levels; hidden files and folders, whose
     * names start with a dot, are skipped), in path order.
     */
    public ImportReport ingestFolder(Path folder, IngestOptions options) {
        return ingestFolder(folder, options, s -> { });
    }

    public ImportReport ingestFolder(Path folder, IngestOptions options, Consumer<String> progress) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder, 16)) {
            files = walk.filter(p -> !hidden(folder, p) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IngestException(Reason.UNREADABLE, folder, folder + " cannot be listed ("
                    + IngestException.brief(e) + ")", e);
        }
        return ingestAll(files, options, progress);
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
