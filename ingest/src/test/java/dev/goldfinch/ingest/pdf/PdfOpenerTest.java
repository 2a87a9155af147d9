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

    /** A person who mistyped is asked again (told how many were wrong) and opens the file with the right one. */
    @Test
    void aWrongPasswordIsAskedAgainUntilTheRightOne() throws IOException {
        Path pdf = TestPdfs.encryptedPdf(dir.resolve("locked.pdf"), "sesame");
        java.util.List<String> asked = new java.util.ArrayList<>();
        IngestOptions options = IngestOptions.defaults().withPasswords(new IngestOptions.PasswordSupplier() {
            @Override
            public String passwordFor(Path file) {
                asked.add("first");
                return "open sesame";
            }

            @Override
            public String passwordAfterWrong(Path file, int wrong) {
                asked.add("after " + wrong + " wrong");
                return wrong < 2 ? "sesame?" : "sesame";
            }
        });
        try (PDDocument doc = PdfOpener.open(TestJobs.job(pdf, options))) {
            assertEquals(1, doc.getNumberOfPages());
        }
        assertEquals(java.util.List.of("first", "after 1 wrong", "after 2 wrong"), asked);
    }

    /** Giving up after a wrong one (Cancel), or trying wrong ones without end, is a wrong password: nothing opens. */
    @Test
    void aWrongPasswordAskedAgainStopsAtCancelOrAfterAFewTries() throws IOException {
        Path pdf = TestPdfs.encryptedPdf(dir.resolve("locked.pdf"), "sesame");
        int[] tries = {0};
        IngestOptions forever = IngestOptions.defaults().withPasswords(new IngestOptions.PasswordSupplier() {
            @Override
            public String passwordFor(Path file) {
                tries[0]++;
                return "wrong";
            }

            @Override
            public String passwordAfterWrong(Path file, int wrong) {
                tries[0]++;
                return "still wrong";
            }
        });
        IngestException e = assertThrows(IngestException.class, () -> PdfOpener.open(TestJobs.job(pdf, forever)));
        assertEquals(Reason.WRONG_PASSWORD, e.reason());
        assertEquals(PdfOpener.MAX_TRIES, tries[0]);

        IngestOptions cancelled = IngestOptions.defaults().withPassword("wrong"); // a fixed password: tried once
        IngestException once = assertThrows(IngestException.class, () -> PdfOpener.open(TestJobs.job(pdf, cancelled)));
        assertEquals("locked.pdf is password-protected and the password given is wrong", once.getMessage());
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
