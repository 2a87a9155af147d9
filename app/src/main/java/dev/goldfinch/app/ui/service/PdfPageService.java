package dev.goldfinch.app.ui.service;

import dev.goldfinch.app.library.DocumentMeta;
import dev.goldfinch.app.library.OriginalFile;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.pdf.PageWords;
import dev.goldfinch.ingest.pdf.PdfPages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * The pages of the PDF on screen, off the JavaFX thread: one thread of its own opens the document's file (checking it
 * is still the file the document was added from), renders pages (the last few kept) and finds a passage's words on a
 * page. One PDF is open at a time: opening another closes the one before.
 */
public final class PdfPageService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PdfPageService.class.getName());
    /** Bytes of rendered pages kept (the newest is kept whatever its size), so turning or zooming back renders nothing. */
    private static final long RENDERED_BYTES_KEPT = 96L << 20;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "goldfinch-pages");
        t.setDaemon(true);
        return t;
    });
    /** This thread only. */
    private PdfPages open;
    private long openId = -1;
    /** By page and zoom, least recently shown first. */
    private final LinkedHashMap<String, Image> rendered = new LinkedHashMap<>(8, 0.75f, true);
    private long renderedBytes;
    private final Map<Integer, PageWords> words = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, PageWords> eldest) {
            return size() > 2;
        }
    };

    /** An opened PDF: each page's size as shown, in points. */
    public record Opened(long documentId, float[] widths, float[] heights) {
        public int pageCount() {
            return widths.length;
        }
    }

    /** Why a document's pages cannot be shown, in one line (its text is shown instead). */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Opens the file the document was added from. Fails with {@link Unavailable} when it moved, changed, is locked
     * with a password (which the library does not keep) or cannot be read.
     */
    public CompletableFuture<Opened> open(StoredDocument document, DocumentMeta meta) {
        return on(() -> {
            closeOpen();
            OriginalFile file = OriginalFile.of(document, meta);
            if (!file.usable()) throw new Unavailable(file.problem());
            try {
                open = PdfPages.open(file.path(), null);
            } catch (IngestException e) {
                throw new Unavailable(e.reason() == IngestException.Reason.ENCRYPTED
                        ? "the PDF is locked with a password, which the library does not keep" : e.getMessage());
            }
            openId = document.id();
            int n = open.pageCount();
            float[] w = new float[n], h = new float[n];
            for (int i = 0; i < n; i++) {
                w[i] = open.width(i);
                h[i] = open.height(i);
            }
            return new Opened(document.id(), w, h);
        });
    }

    /** Page {@code index} of document {@code documentId} at {@code pixelsPerPoint} (1 is 72 dpi). */
    public CompletableFuture<Image> page(long documentId, int index, double pixelsPerPoint) {
        return on(() -> {
            requireOpen(documentId);
            String key = index + "@" + Math.round(pixelsPerPoint * 1000);
            Image img = rendered.get(key);
            if (img == null) {
                try {
                    img = toImage(open.render(index, (float) (72 * pixelsPerPoint)));
                } catch (IOException e) {
                    throw new UncheckedIOException("page " + (index + 1) + " cannot be rendered (" + IngestException.brief(e) + ")", e);
                }
                keep(key, img);
            }
            return img;
        });
    }

    /** Where the passage's words are on page {@code index}, one box per line (empty when they are not found there). */
    public CompletableFuture<List<PageWords.Box>> boxes(long documentId, int index, String passage) {
        return on(() -> {
            requireOpen(documentId);
            try {
                PageWords w = words.get(index);
                if (w == null) words.put(index, w = open.words(index));
                return w.boxesOf(passage);
            } catch (IOException e) {
                throw new UncheckedIOException("the words of page " + (index + 1) + " cannot be read (" + IngestException.brief(e) + ")", e);
            }
        });
    }

    private void keep(String key, Image img) {
        rendered.put(key, img);
        renderedBytes += bytes(img);
        var oldest = rendered.entrySet().iterator();
        while (renderedBytes > RENDERED_BYTES_KEPT && rendered.size() > 1) {
            renderedBytes -= bytes(oldest.next().getValue());
            oldest.remove();
        }
    }

    private static long bytes(Image img) {
        return (long) img.getWidth() * (long) img.getHeight() * 4;
    }

    private void requireOpen(long documentId) {
        if (open == null || openId != documentId) throw new Unavailable("the document's PDF is not open");
    }

    /** A rendered page as a JavaFX image, row by row through its pixel writer (javafx-swing is not a dependency). */
    static Image toImage(BufferedImage b) {
        int w = b.getWidth(), h = b.getHeight();
        WritableImage out = new WritableImage(w, h);
        int[] row = new int[w];
        var writer = out.getPixelWriter();
        for (int y = 0; y < h; y++) {
            b.getRGB(0, y, w, 1, row, 0, w);
            writer.setPixels(0, y, w, 1, PixelFormat.getIntArgbInstance(), row, 0, w);
        }
        return out;
    }

    private void closeOpen() {
        rendered.clear();
        renderedBytes = 0;
        words.clear();
        openId = -1;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a PDF: " + e.getMessage());
            }
            open = null;
        }
    }

    private <T> CompletableFuture<T> on(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, thread);
    }

    /** Closes the open PDF and stops the thread. */
    @Override
    public void close() {
        if (thread.isShutdown()) return;
        thread.execute(this::closeOpen);
        thread.shutdown();
    }
}
