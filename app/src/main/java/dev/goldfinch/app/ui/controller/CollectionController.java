package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.CollectionShelf;
import dev.goldfinch.app.library.ReadingChange;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.CollectionDialog;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.Format;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.app.ui.view.NewCollectionDialog;
import dev.goldfinch.app.ui.view.RereadDialog;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The library's collections in the window: making one (empty, or with a document), adding a document to one (context
 * menu or drag), moving or taking out its documents. An addition says what it costs (the new document alone) as its
 * reading starts; a move or a removal asks first, with what it costs, since it reads again from the first document it
 * changes. The collection is then read in the background like any document.
 */
public final class CollectionController {
    private final WindowShell window;
    private final LibraryPane library;
    private final ReadingController reading;

    public CollectionController(WindowShell window, LibraryPane library, ReadingController reading) {
        this.window = window;
        this.library = library;
        this.reading = reading;
    }

    /** Asks for a name and makes the collection, with {@code document} in it when one is given. */
    public void create(LibraryEntry document) {
        ReaderService service = window.service();
        if (service == null) return;
        String suggestion = document == null ? "" : document.title() + " and more";
        NewCollectionDialog.ask(window.stage(), suggestion).ifPresent(name -> service.createCollection(name)
                .thenCompose(id -> window.refreshLibrary().thenApply(list -> id))
                .whenCompleteAsync((id, t) -> {
                    if (t != null) {
                        ErrorDialog.show(window.stage(), "Cannot make the collection", t);
                        return;
                    }
                    library.select(id);
                    window.statusBar().showMessage("Collection “" + name + "” made; drag documents onto it, or use Add to collection in a document's menu.");
                    if (document != null) library.entry(id).ifPresent(c -> add(document, c));
                }, Fx.THREAD));
    }

    /** Adds the document at the collection's end; what was read of the collection is not read again. */
    public CompletableFuture<Void> add(LibraryEntry document, LibraryEntry collection) {
        ReaderService service = window.service();
        if (service == null || document == null || collection == null || document.isCollection()) return CompletableFuture.completedFuture(null);
        long id = collection.id(), doc = document.id();
        return service.planCollection(id, (shelf, tokenizer) -> shelf.withAdded(id, doc, tokenizer))
                .thenComposeAsync(plan -> {
                    window.statusBar().showMessage("Adding “" + document.title() + "” to “" + collection.title() + "”: " + cost(service, plan.cost())
                            + "; what the collection read before is not read again.");
                    return service.changeCollection(plan);
                }, Fx.THREAD)
                .thenCompose(from -> window.refreshLibrary())
                .handleAsync((list, t) -> {
                    if (t != null) ErrorDialog.show(window.stage(), "Cannot add “" + document.title() + "” to “" + collection.title() + "”", t);
                    else readNow(id);
                    return null;
                }, Fx.THREAD);
    }

    /** The collection's documents to move or take out; a change is made after the person has seen what it costs. */
    public void arrange(LibraryEntry collection) {
        ReaderService service = window.service();
        if (service == null || collection == null || !collection.isCollection()) return;
        long id = collection.id();
        service.collectionMembers(id).whenCompleteAsync((members, t) -> {
            if (t != null) {
                ErrorDialog.show(window.stage(), "Cannot read the collection", t);
                return;
            }
            CollectionDialog.arrange(window.stage(), collection.title(), members).ifPresent(order -> change(collection, order));
        }, Fx.THREAD);
    }

    private void change(LibraryEntry collection, List<Integer> order) {
        ReaderService service = window.service();
        long id = collection.id();
        service.planCollection(id, (CollectionShelf shelf, dev.goldfinch.engine.tokenizer.WorldTokenizer tokenizer) -> shelf.arranged(id, order, tokenizer))
                .whenCompleteAsync((plan, t) -> {
                    if (t != null) {
                        ErrorDialog.show(window.stage(), "Cannot change “" + collection.title() + "”", t);
                        return;
                    }
                    if (plan.firstChanged() == 0) return;
                    String first = plan.firstChanged() <= plan.next().members().size()
                            ? "document " + plan.firstChanged() + " (“" + plan.next().members().get(plan.firstChanged() - 1).title() + "”)" : "its end";
                    if (!RereadDialog.confirm(window.stage(), collection.title(), first, cost(service, plan.cost()))) return;
                    service.changeCollection(plan).thenCompose(from -> window.refreshLibrary()).whenCompleteAsync((list, failed) -> {
                        if (failed != null) ErrorDialog.show(window.stage(), "Cannot change “" + collection.title() + "”", failed);
                        else readNow(id);
                    }, Fx.THREAD);
                }, Fx.THREAD);
    }

    /** "1,234 tokens to read, about 2 min on this machine". */
    private static String cost(ReaderService service, ReadingChange change) {
        String tokens = Format.plural(change.tokensToRead(), "token", "tokens") + " to read";
        return service.readingPace().map(p -> tokens + ", " + p.describe(change.readFrom(), change.total())).orElse(tokens);
    }

    private void readNow(long collectionId) {
        library.entry(collectionId).ifPresent(reading::read);
    }
}
