package dev.goldfinch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .docx of a few hundred kilobytes whose word/document.xml unpacks to over 100 MB, read in a child JVM whose heap
 * is capped at 512 MB: it ends with a one-line refusal (too much text) or reads (little text in much markup), and its
 * peak heap stays far below the cap. Read into POI's document model, the same file needed gigabytes.
 */
class XmlBombTest {
    static final long XML_BYTES = 110L << 20;
    static final long HEAP_CAP_MB = 512;
    /** A small fixed young generation, so that the heap's peak measures what the work keeps, not uncollected garbage. */
    static final long YOUNG_MB = 48;
    static final long PEAK_HEAP_BOUND = 192L << 20;

    @TempDir
    Path dir;

    record Outcome(String result, long peakHeap, long peakRssKb, String log) {
    }

    @Test
    void aDocxFullOfTextIsRefusedInOneLineWithinABoundedHeap() throws Exception {
        Path docx = docx(dir.resolve("full.docx"), "<w:p><w:r><w:t>The orchard grew by forty trees in the year of the late frost.</w:t></w:r></w:p>", 0,
                new java.util.ArrayList<>());
        assertTrue(Files.size(docx) < 1 << 20, "the file itself is small: " + Files.size(docx));
        Outcome o = ingestInChildJvm(docx);
        assertEquals("refused TOO_LARGE full.docx has more than 20,000,000 characters of text (the limit)", o.result(), o.log());
        assertTrue(o.peakHeap() < PEAK_HEAP_BOUND, "peak heap " + (o.peakHeap() >> 20) + " MB");
    }

    @Test
    void aDocxOfMuchMarkupAndLittleTextReadsWithinABoundedHeap() throws Exception {
        String empty = "<w:p><w:pPr><w:spacing w:before=\"120\" w:after=\"120\"/><w:jc w:val=\"both\"/></w:pPr>"
                + "<w:r><w:rPr><w:b/><w:i/><w:sz w:val=\"24\"/></w:rPr></w:r></w:p>";
        List<String> markers = new java.util.ArrayList<>();
        Path docx = docx(dir.resolve("markup.docx"), empty, 10_000, markers);
        Outcome o = ingestInChildJvm(docx);
        // every marker paragraph, a blank line between them, and nothing else
        int expected = markers.stream().mapToInt(String::length).sum() + 2 * (markers.size() - 1);
        assertEquals("ok " + expected, o.result(), o.log());
        assertTrue(o.peakHeap() < PEAK_HEAP_BOUND, "peak heap " + (o.peakHeap() >> 20) + " MB");
    }

    /** The metadata parts POI reads whole (into a document model) are refused by their unpacked size, before parsing. */
    @Test
    void aDocxWithAHugeMetadataPartIsRefusedBeforeItIsRead() throws Exception {
        for (String part : List.of("docProps/app.xml", "docProps/core.xml")) {
            Path file = withPart(dir.resolve(part.replace("docProps/", "").replace(".xml", "") + ".docx"), part, XML_BYTES);
            Outcome o = ingestInChildJvm(file);
            assertEquals("refused ARCHIVE_BOMB " + file.getFileName() + " has a part " + part + " that unpacks to more than 4 MB,"
                    + " where real files hold kilobytes (a zip bomb?)", o.result(), o.log());
            assertTrue(o.peakHeap() < PEAK_HEAP_BOUND, "peak heap " + (o.peakHeap() >> 20) + " MB");
        }
        // just under the limit, such a part is read (and the document with it)
        Path large = withPart(dir.resolve("large-core.docx"), "docProps/core.xml", ArchiveGuard.MAX_WHOLE_PART_BYTES - 4096);
        assertEquals("ok 227", ingestInChildJvm(large).result());
    }

    /** The .docx of {@link TestDocs#docx} with {@code part} padded to about {@code bytes} with elements POI does not know. */
    static Path withPart(Path file, String part, long bytes) throws IOException {
        Path plain = TestDocs.docx(file.resolveSibling("plain-" + file.getFileName()));
        try (ZipFile in = new ZipFile(plain.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.setLevel(9);
            String original = new String(in.getInputStream(in.getEntry(part)).readAllBytes(), StandardCharsets.UTF_8);
            for (ZipEntry e : Collections.list(in.entries())) {
                if (e.getName().equals(part)) continue;
                out.putNextEntry(new ZipEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
            int close = original.lastIndexOf("</");
            out.putNextEntry(new ZipEntry(part));
            Writer w = new OutputStreamWriter(nonClosing(out), StandardCharsets.UTF_8);
            w.write(original.substring(0, close));
            String filler = "<x:extra xmlns:x=\"urn:x\" a=\"1\">filler</x:extra>";
            for (long n = original.length(); n + filler.length() <= bytes; n += filler.length()) w.write(filler);
            w.write(original.substring(close));
            w.flush();
            out.closeEntry();
        }
        return file;
    }

    /**
     * The parts of an ordinary .docx, with a word/document.xml of {@link #XML_BYTES} made of {@code paragraph}
     * repeated, and every {@code markEvery}-th paragraph (if not 0) a numbered line of text, added to {@code markers}.
     */
    static Path docx(Path file, String paragraph, int markEvery, List<String> markers) throws IOException {
        Path plain = TestDocs.docx(file.resolveSibling("plain-" + file.getFileName()));
        try (ZipFile in = new ZipFile(plain.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.setLevel(9);
            for (ZipEntry e : Collections.list(in.entries())) {
                if (e.getName().equals("word/document.xml")) continue;
                out.putNextEntry(new ZipEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("word/document.xml"));
            Writer w = new OutputStreamWriter(nonClosing(out), StandardCharsets.UTF_8);
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
            long written = 0;
            for (int i = 1; written < XML_BYTES; i++) {
                String p = paragraph;
                if (markEvery > 0 && i % markEvery == 0) {
                    markers.add("Marker " + i);
                    p = "<w:p><w:r><w:t>Marker " + i + "</w:t></w:r></w:p>";
                }
                w.write(p);
                written += p.length();
            }
            w.write("</w:body></w:document>");
            w.flush();
            out.closeEntry();
        }
        return file;
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
            }
        };
    }

    Outcome ingestInChildJvm(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve(file.getFileName() + ".log");
        Process child = new ProcessBuilder(List.of(java, "-Xmx" + HEAP_CAP_MB + "m", "-Xmn" + YOUNG_MB + "m", "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), IngestProcessMain.class.getName(), file.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(170, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not finish: " + Files.readString(log));
        }
        List<String> lines = Files.readAllLines(log);
        String text = String.join("\n", lines);
        String result = lines.stream().filter(l -> l.startsWith("ok ") || l.startsWith("refused ") || l.startsWith("crashed "))
                .findFirst().orElseThrow(() -> new AssertionError("no outcome (exit " + child.exitValue() + "): " + text));
        long heap = Long.parseLong(value(lines, "peak-heap ", text));
        long rss = Long.parseLong(value(lines, "peak-rss-kb ", text));
        System.out.printf("%s (%d KB): %s; peak heap %d MB, peak RSS %d MB%n", file.getFileName(), Files.size(file) >> 10, result,
                heap >> 20, rss >> 10);
        return new Outcome(result, heap, rss, text);
    }

    private static String value(List<String> lines, String key, String all) {
        return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key.strip() + ": " + all));
    }
}
