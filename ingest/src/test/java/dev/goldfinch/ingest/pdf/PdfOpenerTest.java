package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.TestJobs;

/** Opening a PDF, alone: a plain one, one cut short, an encrypted one with no password, a wrong and the right one. */
class PdfOpenerTest {
    @TempDir
    Path dir;

    @Test
    void aPlainPdfOpensWithoutAskingForAPassword() throws IOException {
        Path pdf = TestPdfs.hyphenPdf(dir.resolve("plain.pdf"));
        IngestOptions options = IngestOptions.defaults().withPasswords(file -> {
            throw new AssertionError("asked for a password of an unencrypted file");
        });
        try (PDDocument doc = PdfOpener.open(TestJobs.job(pdf, options))) {
            assertEquals(1, doc.getNumberOfPages());
        }
    }

    @Test
    void anEncryptedPdfOpensWithItsPasswordOnly() throws IOException {
        Path pdf = TestPdfs.encryptedPdf(dir.resolve("locked.pdf"), "sesame");
        IngestException none = assertThrows(IngestException.class, () -> PdfOpener.open(TestJobs.job(pdf)));
        assertEquals(Reason.ENCRYPTED, none.reason());
        assertEquals("locked.pdf is password-protected: a password is needed to open it", none.getMessage());

        IngestException wrong = assertThrows(IngestException.class,
                () -> PdfOpener.open(TestJobs.job(pdf, IngestOptions.defaults().withPassword("open sesame"))));
        assertEquals(Reason.WRONG_PASSWORD, wrong.reason());
        assertEquals("locked.pdf is password-protected and the password given is wrong", wrong.getMessage());

        try (PDDocument doc = PdfOpener.open(TestJobs.job(pdf, IngestOptions.defaults().withPassword("sesame")))) {
            assertEquals(1, doc.getNumberOfPages());
        }
    }

    @Test
    void aPdfCutShortIsRefusedAndJunkAfterItsEndIsNot() throws IOException {
        byte[] bytes = Files.readAllBytes(TestPdfs.runningHeadersPdf(dir.resolve("full.pdf"), 3));
        Path cut = Files.write(dir.resolve("cut.pdf"), Arrays.copyOf(bytes, bytes.length - 200));
        IngestException e = assertThrows(IngestException.class, () -> PdfOpener.open(TestJobs.job(cut)));
        assertEquals(Reason.CORRUPT, e.reason());
        assertEquals("cut.pdf is truncated or damaged: it does not end like a PDF (an incomplete download?)",
                e.getMessage());

        // what a mail program or a download may add after %%EOF
        Path padded = Files.write(dir.resolve("padded.pdf"), bytes);
        Files.write(padded, "\r\n\0\0 trailing junk\n".getBytes(StandardCharsets.ISO_8859_1),
                StandardOpenOption.APPEND);
        try (PDDocument doc = PdfOpener.open(TestJobs.job(padded))) {
            assertEquals(3, doc.getNumberOfPages());
        }
    }
}
