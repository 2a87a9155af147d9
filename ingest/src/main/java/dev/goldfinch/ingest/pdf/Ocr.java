package dev.goldfinch.ingest.pdf;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import dev.goldfinch.ingest.Job;

/**
 * OCR of scanned PDF pages with the {@code tesseract} program (found on the PATH).
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
public final class Ocr {
    private static final System.Logger LOG = System.getLogger(Ocr.class.getName());
    /** Resolution pages are rendered at for OCR: what tesseract is trained for. */
    static final float DPI = 300;
    /** A page larger than this many pixels at {@link #DPI} is rendered at a lower resolution (a poster, a map). */
    static final long MAX_PIXELS = 40_000_000L;
    /** How often the cancel flag is polled while tesseract runs. */
    private static final long POLL_MILLIS = 50;

    private static volatile Path found;
    private static volatile boolean looked;
    /** Tests: the program to use instead of the one on the PATH (a missing file means "not installed"). */
    private static volatile Path forced;
    private static volatile String languages;

    private Ocr() {
    }

    /** True if tesseract can be run here. */
    public static boolean available() {
        return program() != null;
    }

    /** The tesseract program, or null if it is not installed. */
    static Path program() {
        Path f = forced;
        if (f != null) {
            return Files.isRegularFile(f) && Files.isExecutable(f) ? f : null;
        }
        if (!looked) {
            found = locate("tesseract");
            looked = true;
        }
        return found;
    }

    /** Tests: use {@code program} as tesseract (null: the one on the PATH again). */
    static void force(Path program) {
        forced = program;
        languages = null;
    }

    static boolean findOnPath(String program) {
        return locate(program) != null;
    }

    private static Path locate(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path p = Path.of(dir, windows ? program + ".exe" : program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Tesseract failed on a page (crashed, misses its language data, could not read the image). */
    static final class OcrFailure extends IOException {
        OcrFailure(String message) {
            super(message);
        }
    }

    /** The recognised lines of one page, and what it took. */
    record PageText(List<Line> lines, float dpi, long renderMillis, long ocrMillis) {
    }

    /** How many tesseract processes one file may run at once (each on one thread, see {@link #start}). */
    static int parallelism() {
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
    }

    /**
     * Renders page {@code index} into {@code dir} and starts tesseract on it; {@link Running#finish} waits for the
     * result. The rendering happens on the caller's thread (a PDDocument is not thread-safe); several pages' tesseract
     * processes may then run side by side.
     *
     * @throws CancellationException if the job is cancelled
     * @throws OcrFailure            if tesseract cannot be started
     */
    static Running start(Job job, PDFRenderer renderer, PDPage page, int index, Path dir) throws IOException {
        Path program = program();
        if (program == null) {
            throw new OcrFailure("tesseract is not installed");
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
        String langs = languages(job, program, dir);
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
            r.process = launch(cmd, r.log);
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
         * @throws OcrFailure            if tesseract fails
         */
        PageText finish() throws IOException {
            try {
                await(job, process, log);
                List<Line> lines = parseTsv(Files.readAllLines(tsv, StandardCharsets.UTF_8), 72f / dpi);
                return new PageText(lines, dpi, renderMillis, (System.nanoTime() - started) / 1_000_000);
            } finally {
                discard();
            }
        }

        /** Kills tesseract if it still runs and deletes the page's files. */
        void discard() {
            if (process != null && process.isAlive()) {
                kill(process);
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

    private static Process launch(List<String> cmd, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // one thread per process: tesseract's OpenMP threads spin and make a page slower (measured: 1.5-2 s a page
        // with one thread, 4.7-5.3 s without the limit, on a busy 2-core machine); pages run side by side instead
        pb.environment().put("OMP_THREAD_LIMIT", "1");
        return pb.start();
    }

    /** Runs tesseract to the end, its output to {@code log}. */
    private static void run(Job job, List<String> cmd, Path log) throws IOException {
        await(job, launch(cmd, log), log);
    }

    /** Waits for a tesseract process, killing it when the job is cancelled. */
    private static void await(Job job, Process p, Path log) throws IOException {
        try {
            while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (job.cancelled()) {
                    kill(p);
                    throw new CancellationException("time limit reached");
                }
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new OcrFailure("exit code " + p.exitValue() + ": " + lastLine(log));
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no tesseract log", e);
        }
        return "no message";
    }

    /**
     * The {@code -l} argument: English if its data is installed, else every installed language (so that a
     * machine with only German data reads German), or null (tesseract's default) if the list cannot be had.
     * Asked once per program; the job's cancel flag stops the asking as it stops OCR.
     */
    private static String languages(Job job, Path program, Path dir) {
        String l = languages;
        if (l == null) {
            l = "";
            Path out = dir.resolve("languages.txt");
            try {
                run(job, List.of(program.toString(), "--list-langs"), out);
                Set<String> langs = new LinkedHashSet<>();
                for (String s : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    String t = s.strip();
                    if (t.matches("[A-Za-z_]+") && !t.equals("osd") && !t.equals("equ")) {
                        langs.add(t);
                    }
                }
                l = langs.contains("eng") ? "eng" : String.join("+", langs);
            } catch (IOException | RuntimeException e) {
                if (e instanceof CancellationException c) {
                    throw c;
                }
                LOG.log(System.Logger.Level.DEBUG, "could not list tesseract's languages", e);
            } finally {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "could not delete " + out, e);
                }
            }
            languages = l;
        }
        return l.isEmpty() ? null : l;
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
