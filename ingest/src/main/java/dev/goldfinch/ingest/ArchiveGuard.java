package dev.goldfinch.ingest;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.goldfinch.ingest.IngestException.Reason;

/**
 * Zip bomb and deep-nesting check for zip-based files (docx, xlsx, pptx, odt, epub, zip...), run before any parser
 * sees them. It inflates every entry (without keeping it), counting the bytes actually produced rather than
 * trusting the sizes the zip declares, and descends into entries that are themselves zips. It stops as soon as the
 * total passes {@link IngestOptions#maxExpandedBytes()} or the nesting passes {@link IngestOptions#maxArchiveDepth()}
 * (the file itself is level 1). Inflating is fast (hundreds of MB/s), and the check runs under the file's time limit.
 *
 * <p>Parts of an Office file that POI reads whole into a document model, at tens of times their size (the property
 * parts the package's relationships name, usually docProps/core.xml and app.xml; the relationship lists; the
 * content-type list), may each unpack to at most {@link #MAX_WHOLE_PART_BYTES}: they hold kilobytes in real files,
 * and a bomb there would fill memory before any text limit is reached. The text itself is read as a stream (see
 * {@link TikaExtractor}). Runs before format detection, which opens Office packages and parses their properties.
 */
final class ArchiveGuard {
    static final int MAX_ENTRIES = 100_000;
    static final long MAX_WHOLE_PART_BYTES = 4L << 20;

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
            Set<String> properties = propertyParts(job, zip);
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
                boolean whole = readWhole(e.getName()) || properties.contains(e.getName().toLowerCase(Locale.ROOT));
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e))) {
                    scanEntry(job, e.getName(), whole ? MAX_WHOLE_PART_BYTES : Long.MAX_VALUE, in, 1, total, buf);
                }
            }
        } catch (IngestException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.util.concurrent.CancellationException c) {
                throw c;
            }
            throw job.fail(Reason.CORRUPT, "is a damaged or truncated zip archive (" + IngestException.brief(e) + ")",
                    e);
        }
    }

    /** Reads one entry at nesting {@code depth}; if it is a zip itself, walks into it. */
    private static void scanEntry(Job job, String name, long limit, InputStream raw, int depth, long[] total, byte[] buf)
            throws IOException {
        InputStream in = new Counting(raw, job, total, name, limit);
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
                    long partLimit = readWhole(e.getName()) ? MAX_WHOLE_PART_BYTES : Long.MAX_VALUE;
                    scanEntry(job, e.getName(), partLimit, new BufferedInputStream(nonClosing(nested)), depth + 1, total, buf);
                }
            }
            // not closed: closing would close the enclosing entry's stream
        } else {
            while (in.read(buf) >= 0) {
                // Counting does the work
            }
        }
    }

    /** An Office Open XML part that POI parses whole whatever the package says: *.rels, [Content_Types].xml. */
    static boolean readWhole(String entryName) {
        String n = entryName.toLowerCase(Locale.ROOT);
        return n.equals("[content_types].xml") || n.endsWith(".rels");
    }

    /**
     * The entry names (lower case) of the property parts the package relationships (_rels/.rels) point to: core,
     * extended and custom properties, which POI parses whole. Empty for a zip that is not an Office package.
     */
    private static Set<String> propertyParts(Job job, ZipFile zip) throws IOException {
        ZipEntry rels = zip.getEntry("_rels/.rels");
        if (rels == null) {
            return Set.of();
        }
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        Set<String> out = new HashSet<>();
        try (InputStream in = new Counting(zip.getInputStream(rels), job, new long[1], rels.getName(), MAX_WHOLE_PART_BYTES)) {
            XMLStreamReader r = factory.createXMLStreamReader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Relationship")) {
                    String type = r.getAttributeValue(null, "Type");
                    String target = r.getAttributeValue(null, "Target");
                    if (type != null && type.endsWith("-properties") && target != null) {
                        out.add(target.replaceFirst("^/+", "").toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (XMLStreamException e) {
            // a damaged relationship list: the parser will say so; the sizes are still checked
        }
        return out;
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
        private final String name;
        private final long entryLimit;
        private long mark;
        private long count;

        Counting(InputStream in, Job job, long[] total, String name, long entryLimit) {
            super(in.markSupported() ? in : new BufferedInputStream(in));
            this.job = job;
            this.total = total;
            this.name = name;
            this.entryLimit = entryLimit;
        }

        private void add(long n) {
            if (n > 0) {
                count += n;
                total[0] += n;
                if (total[0] > job.options.maxExpandedBytes()) {
                    throw job.fail(Reason.ARCHIVE_BOMB, "expands to more than "
                            + (job.options.maxExpandedBytes() >> 20) + " MB when unpacked (a zip bomb?)");
                }
                if (count > entryLimit) {
                    throw job.fail(Reason.ARCHIVE_BOMB, "has a part " + (name.length() > 80 ? name.substring(0, 77) + "..." : name) + " that unpacks to more than "
                            + (entryLimit >> 20) + " MB, where real files hold kilobytes (a zip bomb?)");
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
