package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.engine.reading.PrefillProgress;
import java.nio.file.Path;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One document of the library as the window shows it; its state and progress change while it is read. */
public final class LibraryEntry {
    private final long id;
    private final ReadOnlyObjectWrapper<DocumentStatus> status = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<CacheState> state = new SimpleObjectProperty<>(CacheState.NOT_READ);
    /** Fraction read, 0…1; negative while waiting for the model thread. */
    private final DoubleProperty fraction = new SimpleDoubleProperty();
    private final LongProperty cacheBytes = new SimpleLongProperty();
    /** The latest progress of its reading (speed, time left) while it is read; null otherwise. */
    private final ObjectProperty<PrefillProgress> progress = new SimpleObjectProperty<>();
    /** Where the document came from ("notes.md · Markdown") when another entry has its title; null otherwise. */
    private final StringProperty origin = new SimpleStringProperty();

    public LibraryEntry(DocumentStatus s) {
        this.id = s.id();
        update(s);
    }

    public void update(DocumentStatus s) {
        status.set(s);
        state.set(s.state());
        fraction.set(s.state() == CacheState.READING && s.positions() == 0 ? -1 : s.fraction());
        cacheBytes.set(s.cacheBytes());
        if (s.state() != CacheState.READING) progress.set(null);
    }

    public long id() {
        return id;
    }

    public DocumentStatus status() {
        return status.get();
    }

    public ReadOnlyObjectProperty<DocumentStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public String title() {
        return status.get().title();
    }

    /** A collection: documents read one after another into one reading. */
    public boolean isCollection() {
        return status.get().isCollection();
    }

    public ObjectProperty<CacheState> stateProperty() {
        return state;
    }

    public CacheState state() {
        return state.get();
    }

    public DoubleProperty fractionProperty() {
        return fraction;
    }

    public ObjectProperty<PrefillProgress> progressProperty() {
        return progress;
    }

    public LongProperty cacheBytesProperty() {
        return cacheBytes;
    }

    public StringProperty originProperty() {
        return origin;
    }

    public String origin() {
        return origin.get();
    }

    /** The name of the file the document was added from ("notes.md"). */
    public String fileName() {
        String name = status.get().document().name();
        if (name != null && !name.isBlank()) return name;
        String source = status.get().meta().source();
        return source == null ? "" : Path.of(source).getFileName().toString();
    }

    /** The file's name with its folder's ("drafts/notes.md"), for two files of one name. */
    public String folderAndFileName() {
        String source = status.get().meta().source();
        Path parent = source == null ? null : Path.of(source).getParent();
        return parent == null || parent.getFileName() == null ? fileName() : parent.getFileName() + "/" + fileName();
    }

    /** The format as a person calls it ("PDF", "Markdown"), or null when not known. */
    public String format() {
        return status.get().meta().formatName();
    }

    /** How the state reads in the library: "not read", "reading 42%", "ready", "out of date". */
    public String stateText() {
        return switch (state.get()) {
            case NOT_READ -> "not read";
            case READING -> fraction.get() < 0 ? "waiting to read" : "reading " + percent(fraction.get());
            case PAUSED -> "paused at " + percent(fraction.get());
            case READY -> "ready";
            case OUT_OF_DATE -> "out of date";
        };
    }

    static String percent(double f) {
        return Math.max(0, Math.min(100, (int) Math.floor(f * 100))) + "%";
    }

    @Override
    public String toString() {
        return title() + " (" + stateText() + ")";
    }
}
