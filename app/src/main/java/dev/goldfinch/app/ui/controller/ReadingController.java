package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.service.Job;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.Format;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.engine.reading.PrefillCancelledException;
import dev.goldfinch.engine.reading.PrefillProgress;
import dev.goldfinch.engine.store.CacheInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The readings the window runs: starting one (or resuming a paused one), its progress in the library and the status
 * bar (speed, time left), Cancel, and what is said when it ends. A cancelled reading keeps its last checkpoint.
 */
public final class ReadingController {
    private final WindowShell window;
    private final LibraryPane library;
    private final Map<Long, Job<CacheInfo>> readings = new LinkedHashMap<>();
    /** The document whose progress the status bar shows (−1: none). */
    private long shown = -1;

    public ReadingController(WindowShell window, LibraryPane library) {
        this.window = window;
        this.library = library;
    }

    /** Reads a document in the background (resuming a paused reading); the status bar shows speed and time left. */
    public void read(LibraryEntry e) {
        ReaderService service = window.service();
        if (e == null || service == null || service.model().isEmpty() || e.state() == CacheState.READY) return;
        if (readings.containsKey(e.id())) return;
        long id = e.id();
        Job<CacheInfo> job = service.read(id, p -> progress(id, p));
        readings.put(id, job);
        e.stateProperty().set(CacheState.READING);
        if (e.fractionProperty().get() <= 0) e.fractionProperty().set(-1);
        if (shown < 0) {
            shown = id;
            window.statusBar().showReadingStart(e.title(), expected(service, e.status()));
        }
        job.result().whenCompleteAsync((info, t) -> {
            readings.remove(id, job);
            if (shown == id) {
                shown = -1;
                window.statusBar().showReading(null, null);
                readings.keySet().stream().findFirst().flatMap(library::entry).ifPresent(next -> {
                    shown = next.id();
                    window.statusBar().showReading(next.title(), null);
                });
            }
            Throwable c = t == null ? null : Fx.cause(t);
            if (c instanceof PrefillCancelledException p) {
                window.statusBar().showMessage("Reading of “" + e.title() + "” paused; " + Format.plural(p.savedPositions(), "token is", "tokens are") + " kept.");
            } else if (c != null) {
                if (!window.closing()) ErrorDialog.show(window.stage(), "Cannot read “" + e.title() + "”", c);
            } else {
                window.statusBar().showMessage("“" + e.title() + "” is ready: read " + Format.plural(info.totalTokens(), "token", "tokens") + " in "
                        + Format.duration(info.seconds()) + "; its cache takes " + Format.bytes(info.bytes() + info.stateBytes()) + ".");
            }
            if (!window.closing()) window.refreshLibrary();
        }, Fx.THREAD);
    }

    private void progress(long id, PrefillProgress p) {
        library.entry(id).ifPresent(e -> {
            if (!readings.containsKey(id)) return;
            e.stateProperty().set(CacheState.READING);
            e.fractionProperty().set(p.fraction());
            e.progressProperty().set(p);
            shown = id;
            window.statusBar().showReading(e.title(), p);
        });
    }

    /** How long the rest of the document's reading should take ("about 12 min on this machine"), null when not known. */
    static String expected(ReaderService service, DocumentStatus s) {
        return service.readingPace().map(p -> p.describe(s.readFrom(), s.readTokens())).orElse(null);
    }

    /**
     * A reading paused for a question (its document's id), or read on after it (−1): the status bar says so, since
     * its progress stands still meanwhile.
     */
    public void pausedForQuestion(long documentId) {
        if (documentId < 0) return; // its next progress report shows it reading again
        library.entry(documentId).ifPresent(e -> window.statusBar().showReadingPaused(e.title()));
    }

    /** Reads on every paused document (at start, once the model is loaded). */
    public void resumePaused() {
        for (LibraryEntry e : library.entries()) {
            if (e.state() == CacheState.PAUSED) read(e);
        }
    }

    /** The status bar's Cancel: stops the reading it shows; what was read up to its last checkpoint is kept. */
    public void cancelShown() {
        Job<CacheInfo> j = readings.get(shown);
        if (j == null && !readings.isEmpty()) j = readings.values().iterator().next();
        if (j != null) j.cancel();
    }

    public void cancel(long documentId) {
        Job<CacheInfo> r = readings.get(documentId);
        if (r != null) r.cancel();
    }

    public void cancelAll() {
        readings.values().forEach(Job::cancel);
    }
}
