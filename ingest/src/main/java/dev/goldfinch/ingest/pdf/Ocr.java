package dev.goldfinch.ingest.pdf;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import javax.imageio.ImageIO;

import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import dev.goldfinch.ingest.Job;

/**
 * OCR of one scanned PDF page with the {@code tesseract} program ({@link Tesseract}).
 *
 * <p>A page is rendered with PDFBox's {@link PDFRenderer} at {@value #DPI} dpi in grey (less for a huge page, see
 * {@link #MAX_PIXELS}), written to a temporary file, and given to {@code tesseract} with TSV output, which says
 * where each recognised word sits. Words become {@link Line}s in PDF points from the top of the page,
 * so OCRed pages go through the same running-header detection, hyphen joining and page map as pages with a text
 * layer.
 *
 * <p>Why the program and not Tika's {@code TesseractOCRParser}: Tika OCRs a PDF inside its own PDF parser and
 * hands back one stream of text, so the page map would have to be rebuilt from its output and pages that do have
 * a text layer would be read by a second PDF reader; and its tesseract processes run under Tika's own timeout,
 * not the file's time limit. Here the job's cancel flag is polled while tesseract runs and the process is killed
 * as soon as the time limit is reached.
 */
final class Ocr {
    private static final System.Logger LOG = System.getLogger(Ocr.class.getName());
    /** Resolution pages are rendered at for OCR: what tesseract is trained for. */
    static final float DPI = 300;
    /** A page larger than this many pixels at {@link #DPI} is rendered at a lower resolution (a poster, a map). */
    static final long MAX_PIXELS = 40_000_000L;

    private Ocr() {
    }

    /** The recognised lines of one page, and what it took. */
    record PageText(List<Line> lines, float dpi, long renderMillis, long ocrMillis) {
    }

    /**
     * Renders page {@code index} into {@code dir} and starts tesseract on it; {@link Running#finish} waits for the
     * result. The rendering happens on the caller's thread (a PDDocument is not thread-safe); several pages' tesseract
     * processes may then run side by side.
     *
     * @throws CancellationException if the job is cancelled
     * @throws Tesseract.OcrFailure            if tesseract cannot be started
     */
    static Running start(Job job, PDFRenderer renderer, PDPage page, int index, Path dir) throws IOException {
        Path program = Tesseract.program();
        if (program == null) {
            throw new Tesseract.OcrFailure("tesseract is not installed");
        }
        PDRectangle box = page.getCropBox();
        boolean turned = page.getRotation() % 180 != 0;
        float wPt = turned ? box.getHeight() : box.getWidth();
        float hPt = turned ? box.getWidth() : box.getHeight();
        float dpi = DPI;
        double pixels = (double) wPt * hPt * (DPI / 72) * (DPI / 72);
        if (pixels > MAX_PIXELS) {
            dpi = (float) (DPI * Math.sqrt(MAX_PIXELS / pixels));
        }
        String langs = Tesseract.languages(job, program, dir);
        long t0 = System.nanoTime();
        BufferedImage img = renderer.renderImageWithDPI(index, dpi, ImageType.GRAY);
        job.check();
        String name = "page-" + (index + 1);
        Running r = new Running(job, index, dpi, dir.resolve(name + ".pgm"), dir.resolve(name),
                dir.resolve(name + ".tsv"), dir.resolve(name + ".log"));
        try {
            writeImage(img, r.image);
            img = null;
            r.renderMillis = (System.nanoTime() - t0) / 1_000_000;
            List<String> cmd = new ArrayList<>(List.of(program.toString(), r.image.toString(), r.base.toString(),
                    "--dpi", Integer.toString(Math.round(dpi)), "--psm", "3"));
            if (langs != null) {
                cmd.add("-l");
                cmd.add(langs);
            }
            cmd.add("tsv");
            r.started = System.nanoTime();
            r.process = Tesseract.launch(cmd, r.log);
            return r;
        } catch (IOException | RuntimeException e) {
            r.discard();
            throw e;
        }
    }

    /** Tesseract at work on one page; its files are deleted when it is finished or discarded. */
    static final class Running {
        private final Job job;
        final int index;
        private final float dpi;
        private final Path image;
        private final Path base;
        private final Path tsv;
        private final Path log;
        private long renderMillis;
        private long started;
        private Process process;

        private Running(Job job, int index, float dpi, Path image, Path base, Path tsv, Path log) {
            this.job = job;
            this.index = index;
            this.dpi = dpi;
            this.image = image;
            this.base = base;
            this.tsv = tsv;
            this.log = log;
        }

        /**
         * Waits for tesseract and reads what it recognised.
         *
         * @throws CancellationException if the job is cancelled meanwhile (tesseract is killed)
         * @throws Tesseract.OcrFailure            if tesseract fails
         */
        PageText finish() throws IOException {
            try {
                Tesseract.await(job, process, log);
                List<Line> lines = parseTsv(Files.readAllLines(tsv, StandardCharsets.UTF_8), 72f / dpi);
                return new PageText(lines, dpi, renderMillis, (System.nanoTime() - started) / 1_000_000);
            } finally {
                discard();
            }
        }

        /** Kills tesseract if it still runs and deletes the page's files. */
        void discard() {
            if (process != null && process.isAlive()) {
                Tesseract.kill(process);
            }
            for (Path f : List.of(image, tsv, log)) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "could not delete " + f, e);
                }
            }
        }
    }

    /** A grey image as binary PGM (fast to write and read; tesseract's image library reads it). */
    static void writeImage(BufferedImage img, Path file) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        if (img.getType() != BufferedImage.TYPE_BYTE_GRAY
                || !(img.getSampleModel() instanceof PixelInterleavedSampleModel sm)
                || sm.getScanlineStride() != w || sm.getPixelStride() != 1
                || img.getRaster().getSampleModelTranslateX() != 0 || img.getRaster().getSampleModelTranslateY() != 0) {
            Path png = file.resolveSibling(file.getFileName().toString().replaceAll("\\.pgm$", ".png"));
            ImageIO.write(img, "png", png.toFile());
            Files.move(png, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, 0, w * h);
        }
    }

    /**
     * Lines out of tesseract's TSV: one row per word (level 5) with block, paragraph and line numbers and a box in
     * pixels; {@code scale} turns pixels into points. A line of no letter or digit (a smudge, a rule) is left out.
     */
    static List<Line> parseTsv(List<String> rows, float scale) {
        List<Line> out = new ArrayList<>();
        StringBuilder text = null;
        String lineKey = null;
        String lastPar = null;
        int block = 0;
        float top = 0;
        float bottom = 0;
        boolean paraStart = false;
        for (String row : rows) {
            String[] f = row.split("\t", -1);
            if (f.length < 12 || !f[0].equals("5")) {
                continue;
            }
            String word = f[11].strip();
            if (word.isEmpty()) {
                continue;
            }
            int t;
            int hgt;
            try {
                t = Integer.parseInt(f[7]);
                hgt = Integer.parseInt(f[9]);
            } catch (NumberFormatException e) {
                continue;
            }
            String par = f[1] + "/" + f[2] + "/" + f[3];
            String key = par + "/" + f[4];
            if (!key.equals(lineKey)) {
                addLine(out, text, block, top, bottom, paraStart);
                paraStart = lastPar != null && !par.equals(lastPar);
                lastPar = par;
                lineKey = key;
                block = parseInt(f[2]);
                text = new StringBuilder(word);
                top = t * scale;
                bottom = (t + hgt) * scale;
            } else {
                text.append(' ').append(word);
                top = Math.min(top, t * scale);
                bottom = Math.max(bottom, (t + hgt) * scale);
            }
        }
        addLine(out, text, block, top, bottom, paraStart);
        return out;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void addLine(List<Line> out, StringBuilder text, int block, float top, float bottom,
                                boolean paraStart) {
        if (text == null || text.codePoints().noneMatch(Character::isLetterOrDigit)) {
            return;
        }
        out.add(new Line(text.toString(), Math.max(0, block), top, bottom, paraStart));
    }
}
