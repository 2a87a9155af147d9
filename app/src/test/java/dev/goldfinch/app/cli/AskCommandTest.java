package dev.goldfinch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `goldfinch ask` end to end: a real PDF, a random GoldFinch with the World vocabulary, a real store file. */
class AskCommandTest {
    @TempDir
    Path dir;

    static final Path VOCAB = Path.of(System.getProperty("goldfinch.shared", "../../shared"), "tokenizer", "rwkv_vocab_v20230424.txt");

    @Test
    void asksTwiceReadingTheDocumentOnlyOnceAndCitesPages() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path pdf = dir.resolve("contract.pdf");
        writePdf(pdf, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        Path db = dir.resolve("store.sqlite");
        String[] args = {"ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(), "--doc", pdf.toString(),
            "--greedy", "--max-new", "12", "--sources", "When is the rent due?"};

        String first = run(args);
        CacheInfo cache;
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals(1, store.documents().size());
            cache = store.caches().get(0);
            assertTrue(cache.complete());
        }
        String second = run(args);
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals(1, store.caches().size());
            assertEquals(cache.seconds(), store.caches().get(0).seconds(), "the second question did not read the document again");
        }
        assertEquals(first, second, "greedy answers from the same saved cache are the same");
        assertTrue(first.contains("sources:"), first);
        assertTrue(first.matches("(?s).*\\[page [12]].*"), "sources cite pages: " + first);
    }

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, GoldfinchCommand.run(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static void writePdf(Path file, String... pages) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            for (String text : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText(text);
                    cs.endText();
                }
            }
            doc.save(file.toFile());
        }
    }
}
