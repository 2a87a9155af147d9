package dev.goldfinch.ingest.pdf;

import java.io.IOException;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDPageLabels;

/**
 * How a reader names each page: the label the PDF gives it ("iv" in a preface, "A-3" in an appendix), which is
 * what the printed page says and so what a citation should say, or its number from 1 where it has none. A page
 * label table that cannot be read is ignored: the numbers are still right.
 */
final class PageLabels {
    private static final System.Logger LOG = System.getLogger(PageLabels.class.getName());

    private PageLabels() {
    }

    /** One label per page of {@code doc}, in page order; never null or blank. */
    static String[] of(PDDocument doc) {
        int n = doc.getNumberOfPages();
        String[] out = new String[n];
        try {
            PDPageLabels labels = doc.getDocumentCatalog().getPageLabels();
            if (labels != null) {
                String[] byIndex = labels.getLabelsByPageIndices();
                for (int i = 0; i < n && i < byIndex.length; i++) {
                    out[i] = byIndex[i] == null || byIndex[i].isBlank() ? null : byIndex[i];
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring unreadable page labels", e);
        }
        for (int i = 0; i < n; i++) {
            if (out[i] == null) {
                out[i] = Integer.toString(i + 1);
            }
        }
        return out;
    }
}
