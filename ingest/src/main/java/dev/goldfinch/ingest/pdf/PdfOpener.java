package dev.goldfinch.ingest.pdf;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.Job;

/**
 * Opens a PDF, decrypting it if it must: a file cut short is refused before PDFBox reads it (its lenient parser
 * could read a part of it as if it were the whole), and the password is asked for ({@link IngestOptions#passwords()})
 * only when the file turns out to be encrypted, so that a plain PDF never prompts anyone; after a wrong one it is asked
 * again ({@link IngestOptions.PasswordSupplier#passwordAfterWrong}), up to {@value #MAX_TRIES} tries in all.
 */
final class PdfOpener {
    /** Decoded streams above this go to a temporary file, keeping the heap bounded on big documents. */
    private static final long MAX_MAIN_MEMORY = 16L << 20;
    /** Passwords tried at most, the first included, when the supplier asks again after a wrong one (a person). */
    static final int MAX_TRIES = 5;

    private PdfOpener() {
    }

    /**
     * The document, open.
     *
     * @throws IngestException {@link IngestException.Reason#CORRUPT} for a file cut short,
     *                         {@link IngestException.Reason#ENCRYPTED} when no password is given for an encrypted
     *                         one, {@link IngestException.Reason#WRONG_PASSWORD} when the password given is wrong
     * @throws IOException     if PDFBox cannot parse it
     */
    static PDDocument open(Job job) throws IOException {
        checkComplete(job);
        var cache = MemoryUsageSetting.setupMixed(MAX_MAIN_MEMORY).streamCache;
        try {
            return Loader.loadPDF(job.file.toFile(), "", cache);
        } catch (InvalidPasswordException e) {
            String password = job.options.passwords().passwordFor(job.file);
            if (password == null) {
                throw job.fail(IngestException.Reason.ENCRYPTED,
                        "is password-protected: a password is needed to open it");
            }
            for (int wrong = 1; ; wrong++) {
                try {
                    return Loader.loadPDF(job.file.toFile(), password, cache);
                } catch (InvalidPasswordException e2) {
                    job.check();
                    password = wrong < MAX_TRIES ? job.options.passwords().passwordAfterWrong(job.file, wrong) : null;
                    if (password == null) {
                        throw job.fail(IngestException.Reason.WRONG_PASSWORD,
                                "is password-protected and the password given is wrong");
                    }
                }
            }
        }
    }

    /** A PDF ends with %%EOF (possibly followed by a little junk); without it, the file was cut short. */
    private static void checkComplete(Job job) {
        try (RandomAccessFile raf = new RandomAccessFile(job.file.toFile(), "r")) {
            long len = raf.length();
            int tail = (int) Math.min(len, 16 * 1024);
            byte[] buf = new byte[tail];
            raf.seek(len - tail);
            raf.readFully(buf);
            String s = new String(buf, StandardCharsets.ISO_8859_1);
            if (!s.contains("%%EOF")) {
                throw job.fail(IngestException.Reason.CORRUPT,
                        "is truncated or damaged: it does not end like a PDF (an incomplete download?)");
            }
        } catch (IOException e) {
            throw job.fail(IngestException.Reason.CORRUPT, "could not be read (" + IngestException.brief(e) + ")", e);
        }
    }
}
