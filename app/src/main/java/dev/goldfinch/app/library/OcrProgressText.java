package dev.goldfinch.app.library;

/** How far OCR of a scanned document is, in the words the window and the command line both show. */
public final class OcrProgressText {
    private OcrProgressText() {
    }

    /** "OCR page 3 of 12" while page 3 is being read (2 done), "OCR read all 12 pages" at the end. */
    public static String of(int done, int total) {
        return done < total ? "OCR page " + (done + 1) + " of " + total : "OCR read all " + total + " page" + (total == 1 ? "" : "s");
    }
}
