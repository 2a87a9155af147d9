package dev.goldfinch.ingest;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import dev.goldfinch.ingest.IngestException.Reason;

/**
 * Zip bomb and deep-nesting check for zip-based files (docx, xlsx, pptx, odt, epub, zip...), run before any parser
 * sees them. It inflates every entry (without keeping it), counting the bytes actually produced rather than
 * trusting the sizes the zip declares, and descends into entries that are themselves zips. It stops as soon as the
 * total passes {@link IngestOptions#maxExpandedBytes()} or the nesting passes {@link IngestOptions#maxArchiveDepth()}
 * (the file itself is level 1). Inflating is fast (hundreds of MB/s), and the check runs under the file's time limit.
 */
final class ArchiveGuard {
    static final int MAX_ENTRIES = 100_000;

    private ArchiveGuard() {
    }

    /** True if the file starts with a zip local-file header ("PK\3\4") or an empty-archive record. */
    static boolean looksLikeZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6);
    }

    static void check(Job job) {
        long[] total = {0};
        byte[] buf = new byte[64 * 1024];
        try (ZipFile zip = new ZipFile(job.file.toFile())) {
            int entries = 0;
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (++entries > MAX_ENTRIES) {
                    throw job.fail(Reason.ARCHIVE_BOMB, "has more than " + MAX_ENTRIES + " entries in its archive");
                }
                if (e.isDirectory()) {
                    continue;
                }
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e))) {
                    scanEntry(job, in, 1, total, buf);
                }
            }
        } catch (IngestException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.util.concurrent.CancellationException c) {
                throw c;
            }
            throw job.fail(Reason.CORRUPT, "is a damaged or truncated zip archive (" + PdfExtractor.brief(e) + ")", e);
        }
    }

    /** Reads one entry at nesting {@code depth}; if it is a zip itself, walks into it. */
    private static void scanEntry(Job job, InputStream raw, int depth, long[] total, byte[] buf) throws IOException {
        InputStream in = new Counting(raw, job, total);
        in.mark(8);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (looksLikeZip(head)) {
            if (depth + 1 > job.options.maxArchiveDepth()) {
                throw job.fail(Reason.ARCHIVE_BOMB, "nests archives more than " + job.options.maxArchiveDepth()
                        + " levels deep");
            }
            ZipInputStream nested = new ZipInputStream(in);
            int entries = 0;
            ZipEntry e;
            while ((e = nested.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw job.fail(Reason.ARCHIVE_BOMB, "has more than " + MAX_ENTRIES + " entries in a nested archive");
                }
                if (!e.isDirectory()) {
                    scanEntry(job, new BufferedInputStream(nonClosing(nested)), depth + 1, total, buf);
                }
            }
            // not closed: closing would close the enclosing entry's stream
        } else {
            while (in.read(buf) >= 0) {
                // Counting does the work
            }
        }
    }

    private static InputStream nonClosing(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    /** Counts the bytes read through it against the expanded-size limit; polls the job's cancel flag. */
    private static final class Counting extends FilterInputStream {
        private final Job job;
        private final long[] total;
        private long mark;
        private long count;

        Counting(InputStream in, Job job, long[] total) {
            super(in.markSupported() ? in : new BufferedInputStream(in));
            this.job = job;
            this.total = total;
        }

        private void add(long n) {
            if (n > 0) {
                count += n;
                total[0] += n;
                if (total[0] > job.options.maxExpandedBytes()) {
                    throw job.fail(Reason.ARCHIVE_BOMB, "expands to more than "
                            + (job.options.maxExpandedBytes() >> 20) + " MB when unpacked (a zip bomb?)");
                }
                job.check();
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            add(n);
            return n;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            mark = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            total[0] -= count - mark;
            count = mark;
        }
    }

    static byte[] head(java.nio.file.Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }
}
