package dev.goldfinch.app.library;

import dev.goldfinch.ingest.IngestOptions;
import java.util.function.BooleanSupplier;

/**
 * How a file is read when it is added: with OCR of its scanned pages or not, who hears how far OCR is, and what
 * stops it. OCR, once chosen for a file, is remembered with the document ({@link DocumentMeta#ocr()}), so adding the
 * same file again uses it without being asked.
 *
 * @param ocr       OCR the pages that are only an image (a scanned PDF) with tesseract
 * @param ocrPages  told after each page OCR has read, on the reading thread
 * @param cancelled polled while the file is read; once true the file is not added (tesseract is stopped)
 */
public record AddOptions(boolean ocr, IngestOptions.OcrProgress ocrPages, BooleanSupplier cancelled) {
    public AddOptions {
        if (ocrPages == null) ocrPages = (done, total) -> { };
        if (cancelled == null) cancelled = () -> false;
    }

    /** Without OCR (unless the document's remembered choice says otherwise), nothing listening, not cancellable. */
    public static AddOptions plain() {
        return new AddOptions(false, null, null);
    }

    public AddOptions withOcr(boolean on) {
        return new AddOptions(on, ocrPages, cancelled);
    }
}
