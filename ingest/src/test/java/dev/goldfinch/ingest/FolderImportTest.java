package dev.goldfinch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.pdf.TestPdfs;

class FolderImportTest {

    @TempDir
    Path dir;

    @Test
    void twentyFilesOneBrokenImportsNineteen() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("more"));
        List<Path> made = new ArrayList<>();
        made.add(TestPdfs.twoColumnPdf(dir.resolve("01-columns.pdf")));
        made.add(TestPdfs.hyphenPdf(dir.resolve("02-hyphen.pdf")));
        made.add(TestPdfs.runningHeadersPdf(dir.resolve("03-report.pdf"), 4));
        made.add(TestDocs.docx(dir.resolve("04-plan.docx")));
        made.add(TestDocs.pptx(dir.resolve("05-deck.pptx")));
        made.add(TestDocs.xlsx(dir.resolve("06-book.xlsx")));
        made.add(TestDocs.odt(dir.resolve("07-bees.odt")));
        made.add(TestDocs.epub(dir.resolve("08-keeper.epub")));
        made.add(TestDocs.html(dir.resolve("09-recipe.html")));
        for (int i = 10; i <= 15; i++) {
            made.add(Files.writeString(dir.resolve(i + "-note.txt"), "Note number " + i + " says hello."));
        }
        made.add(Files.writeString(sub.resolve("16-readme.md"), "# Readme\n\nSee the notes."));
        made.add(TestDocs.text(sub.resolve("17-utf16.txt"), "UTF-16 text file", StandardCharsets.UTF_16LE, true));
        made.add(TestPdfs.encryptedPdf(sub.resolve("18-locked.pdf"), "pw"));
        made.add(TestPdfs.imagePagesPdf(sub.resolve("19-mixed.pdf"), true));
        byte[] pdf = Files.readAllBytes(TestPdfs.runningHeadersPdf(dir.resolve("tmp.pdf"), 4));
        Files.delete(dir.resolve("tmp.pdf"));
        Path broken = Files.write(sub.resolve("20-broken.pdf"), Arrays.copyOf(pdf, pdf.length / 2));
        made.add(broken);
        Files.writeString(dir.resolve(".DS_Store"), "hidden, skipped");
        assertEquals(20, made.size());

        List<String> progress = new ArrayList<>();
        ImportReport report = new Ingestor().ingestFolder(dir,
                IngestOptions.defaults().withPasswords(f -> f.getFileName().toString().contains("locked") ? "pw" : null),
                progress::add);
        assertEquals(20, report.total());
        assertEquals(19, report.imported().size(), report.failed().toString());
        assertEquals(1, report.failed().size());
        ImportReport.Failed failed = report.failed().getFirst();
        assertEquals(broken, failed.file());
        assertEquals(Reason.CORRUPT, failed.reason());
        assertTrue(failed.message().startsWith("20-broken.pdf is truncated"), failed.message());
        assertEquals(20, progress.size());
        // every document is distinct by content hash
        Set<String> hashes = new HashSet<>();
        report.imported().forEach(i -> hashes.add(i.document().contentHash()));
        assertEquals(19, hashes.size());
    }
}
