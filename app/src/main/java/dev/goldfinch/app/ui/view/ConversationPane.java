package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.ui.service.FollowUp;
import dev.goldfinch.app.ui.service.Job;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.service.Reply;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.library.SourcesJson;
import dev.goldfinch.engine.reading.PrefillProgress;
import dev.goldfinch.engine.store.Conversation;
import dev.goldfinch.engine.store.Message;
import dev.goldfinch.engine.store.Message.Role;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.InvalidationListener;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The centre: the conversation with the selected document. Enter sends, Shift+Enter adds a line, the answer
 * streams in token by token (a G1 model's thinking into a folded pane above it), Stop (or Esc) ends it; every
 * question and answer is kept in the store, thinking apart, so past conversations come back after a restart.
 * <p>Its size (under 500 lines) is earned by one piece of state it must keep whole: the conversation shown, its
 * follow-up memory, the answer streaming into it and what the input may do meanwhile (a document not ready, one being
 * read, an answer running); the store is reached only through the service, and a message is a {@link MessageView}.
 */
public final class ConversationPane extends VBox {
    private static final System.Logger LOG = System.getLogger(ConversationPane.class.getName());

    private final Supplier<AnswerOptions> options;
    private final Consumer<LibraryEntry> onRead;
    private final Consumer<Source> onSource;
    private final Label docTitle = new Label("No document");
    private final ComboBox<Conversation> conversationBox = new ComboBox<>();
    private final Button newConversation = new Button("New conversation");
    private final Label bannerText = new Label();
    private final ProgressBar bannerProgress = new ProgressBar();
    private final Button bannerButton = new Button();
    private final HBox banner;
    private final VBox messages = new VBox(10);
    private final ScrollPane scroll = new ScrollPane(messages);
    private final Label emptyHint = new Label();
    private final TextArea input = new TextArea();
    private final Button send = new Button("Send");
    private final BooleanProperty answering = new SimpleBooleanProperty();
    private final InvalidationListener entryChanged = o -> showState();
    private final CheckBox followUp = new CheckBox("Follow-up");
    private final Label followUpNote = new Label("no follow-up memory: the next question starts from the document (the memory is kept in memory only and lost on restart)");
    /** The follow-up setting and memory of each conversation seen in this session, by conversation id. */
    private final Map<Long, FollowState> threads = new HashMap<>();
    /** The open conversation's follow-up setting and memory (a new one until its first question is saved). */
    private FollowState thread = new FollowState();
    private boolean settingFollowUp;

    /** A conversation's follow-up toggle and the memory the service keeps for it (memory only: gone on restart). */
    private static final class FollowState {
        boolean on;
        FollowUp memory;
    }

    private ReaderService service;
    private LibraryEntry entry;
    private Conversation current;
    private Job<Reply> job;
    private boolean switching;
    /** Bumped on every document or conversation switch: late results of an older one are dropped. */
    private long generation;

    public ConversationPane(Supplier<AnswerOptions> options, Consumer<LibraryEntry> onRead, Consumer<Source> onSource) {
        this.options = options;
        this.onRead = onRead;
        this.onSource = onSource;
        getStyleClass().add("conversation-pane");
        setId("conversation");

        docTitle.getStyleClass().add("pane-title");
        docTitle.setId("conversation-title");
        docTitle.setMinWidth(0);
        HBox.setHgrow(docTitle, Priority.ALWAYS);
        docTitle.setMaxWidth(Double.MAX_VALUE);
        conversationBox.setId("conversation-list");
        conversationBox.setPromptText("Conversations");
        conversationBox.setPrefWidth(220);
        conversationBox.valueProperty().addListener((o, a, b) -> {
            if (!switching && b != null && (current == null || b.id() != current.id())) openConversation(b);
        });
        newConversation.setId("new-conversation");
        newConversation.setMinWidth(Region.USE_PREF_SIZE);
        conversationBox.setMinWidth(120);
        newConversation.setOnAction(e -> startNewConversation());
        followUp.setId("follow-up");
        followUp.setMinWidth(Region.USE_PREF_SIZE);
        followUp.setTooltip(new Tooltip("continue from the previous answer instead of starting from the document"));
        followUp.selectedProperty().addListener((o, a, b) -> {
            if (settingFollowUp) return;
            thread.on = b;
            if (!b) forget(thread);
            showFollowUp();
        });
        followUpNote.setId("follow-up-note");
        followUpNote.getStyleClass().add("hint");
        followUpNote.setWrapText(true);
        HBox header = new HBox(8, docTitle, conversationBox, followUp, newConversation);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("pane-header");

        bannerText.getStyleClass().add("banner-text");
        bannerText.setId("reading-banner-text");
        bannerText.setWrapText(true);
        bannerProgress.setPrefWidth(160);
        bannerButton.setId("reading-banner-button");
        bannerButton.setMinWidth(Region.USE_PREF_SIZE);
        bannerButton.setOnAction(e -> {
            if (entry != null) onRead.accept(entry);
        });
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        banner = new HBox(10, bannerText, bannerProgress, grow, bannerButton);
        banner.setAlignment(Pos.CENTER_LEFT);
        banner.getStyleClass().add("banner");
        banner.setId("reading-banner");

        messages.getStyleClass().add("messages");
        messages.setId("messages");
        messages.heightProperty().addListener((o, a, b) -> scroll.setVvalue(1.0));
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("messages-scroll");
        emptyHint.getStyleClass().add("placeholder");
        emptyHint.setWrapText(true);
        StackPane centre = new StackPane(scroll, emptyHint);
        VBox.setVgrow(centre, Priority.ALWAYS);

        input.setId("question-input");
        input.setPromptText("Ask a question about the document…");
        input.setWrapText(true);
        input.setPrefRowCount(3);
        input.addEventFilter(KeyEvent.KEY_PRESSED, this::onInputKey);
        HBox.setHgrow(input, Priority.ALWAYS);
        send.setId("send");
        send.getStyleClass().add("primary");
        send.setDefaultButton(false);
        send.setMinWidth(80);
        send.setOnAction(e -> {
            if (answering.get()) stop();
            else send();
        });
        send.setTooltip(new Tooltip("Send (Enter) · Stop (Esc)"));
        answering.addListener((o, a, b) -> {
            send.setText(b ? "Stop" : "Send");
            send.getStyleClass().remove(b ? "primary" : "danger");
            send.getStyleClass().add(b ? "danger" : "primary");
            send.setId(b ? "stop" : "send");
            showFollowUp();
        });
        Label hint = new Label("Enter sends · Shift+Enter adds a line · Esc stops the answer");
        hint.getStyleClass().add("hint");
        HBox inputRow = new HBox(8, input, send);
        inputRow.setAlignment(Pos.BOTTOM_RIGHT);
        VBox inputBox = new VBox(4, followUpNote, inputRow, hint);
        inputBox.getStyleClass().add("input-box");

        getChildren().addAll(header, banner, centre, inputBox);
        setDocument(null);
    }

    public void setService(ReaderService service) {
        this.service = service;
    }

    public TextArea input() {
        return input;
    }

    public BooleanProperty answeringProperty() {
        return answering;
    }

    public List<MessageView> messageViews() {
        return messages.getChildren().stream().filter(MessageView.class::isInstance).map(MessageView.class::cast).toList();
    }

    public Conversation currentConversation() {
        return current;
    }

    /** The open conversation's follow-up toggle. */
    public CheckBox followUpToggle() {
        return followUp;
    }

    /** The note shown when follow-up is on but no state is kept (a new conversation, or after a restart or reopening). */
    public Label followUpNote() {
        return followUpNote;
    }

    /** The open conversation's follow-up memory (null when it keeps none). */
    public FollowUp followUpMemory() {
        return thread.memory;
    }

    /** Shows the conversations of a document (the newest one open), or the empty state for null. */
    public void setDocument(LibraryEntry e) {
        if (entry != null) {
            entry.stateProperty().removeListener(entryChanged);
            entry.fractionProperty().removeListener(entryChanged);
            entry.progressProperty().removeListener(entryChanged);
        }
        if (e != null && entry != null && e.id() == entry.id()) {
            entry = e;
            entry.stateProperty().addListener(entryChanged);
            entry.fractionProperty().addListener(entryChanged);
        entry.progressProperty().addListener(entryChanged);
            entry.progressProperty().addListener(entryChanged);
            showState();
            return;
        }
        stop();
        // Reopening a document starts its conversations from the document again: follow-up memories go.
        threads.values().forEach(this::forget);
        forget(thread);
        thread = new FollowState();
        entry = e;
        generation++;
        current = null;
        messages.getChildren().clear();
        switching = true;
        conversationBox.getItems().clear();
        conversationBox.setValue(null);
        switching = false;
        if (e == null) {
            docTitle.setText("No document selected");
            showState();
            return;
        }
        entry.stateProperty().addListener(entryChanged);
        entry.fractionProperty().addListener(entryChanged);
        entry.progressProperty().addListener(entryChanged);
        docTitle.setText(e.title());
        showState();
        if (service == null) return;
        long gen = generation;
        service.conversationsOf(e.id()).whenCompleteAsync((list, t) -> {
            if (gen != generation) return;
            if (t != null) {
                ErrorDialog.show(window(), "Cannot load the conversations", t);
                return;
            }
            switching = true;
            conversationBox.getItems().setAll(list);
            switching = false;
            if (!list.isEmpty()) {
                conversationBox.setValue(list.getFirst());
            }
        }, Fx.THREAD);
    }

    private void openConversation(Conversation c) {
        stop();
        generation++;
        long gen = generation;
        current = c;
        thread = threads.computeIfAbsent(c.id(), id -> new FollowState());
        showFollowUp();
        messages.getChildren().clear();
        service.messagesOf(c.id()).whenCompleteAsync((list, t) -> {
            if (gen != generation) return;
            if (t != null) {
                ErrorDialog.show(window(), "Cannot load the conversation", t);
                return;
            }
            for (Message m : list) {
                MessageView v = new MessageView(m.role(), m.text());
                v.setThinking(m.thinking());
                v.setSources(SourcesJson.read(m.sources()), unit(), onSource);
                if (!m.intact()) v.setFooter("this message is damaged in the store: its text may not be the one written");
                messages.getChildren().add(v);
            }
            showState();
        }, Fx.THREAD);
    }

    public void startNewConversation() {
        stop();
        generation++;
        current = null;
        thread = new FollowState();
        messages.getChildren().clear();
        switching = true;
        conversationBox.setValue(null);
        switching = false;
        showState();
        input.requestFocus();
    }

    private void onInputKey(KeyEvent e) {
        if (e.getCode() == KeyCode.ENTER) {
            if (e.isShiftDown()) {
                input.replaceSelection("\n");
            } else if (!e.isControlDown() && !e.isAltDown() && !e.isMetaDown()) {
                if (!answering.get()) send();
            } else {
                return;
            }
            e.consume();
        } else if (e.getCode() == KeyCode.ESCAPE && answering.get()) {
            stop();
            e.consume();
        }
    }

    /** Sends the question in the input box (if the document is ready and no answer is running). */
    public void send() {
        String q = input.getText().strip();
        if (q.isEmpty() || entry == null || service == null || answering.get()) return;
        if (entry.state() != CacheState.READY) {
            showState();
            return;
        }
        input.clear();
        long docId = entry.id();
        long gen = generation;
        Conversation conv = current;
        FollowState th = thread;
        if (th.on && th.memory == null) th.memory = service.followUp(docId);
        FollowUp memory = th.on ? th.memory : null;
        MessageView question = new MessageView(Role.USER, q);
        MessageView answer = new MessageView(Role.ASSISTANT, "");
        answer.setPending(true);
        messages.getChildren().addAll(question, answer);
        emptyHint.setVisible(false);
        // The question is stored first; the answer after it has finished (the store thread keeps this order).
        CompletableFuture<Conversation> saved = service.saveQuestion(conv, docId, titleOf(q), q);
        saved.whenCompleteAsync((c, t) -> {
            if (t != null) {
                ErrorDialog.show(window(), "Cannot save the question", t);
                return;
            }
            if (conv == null) threads.putIfAbsent(c.id(), th);
            if (conv == null && gen == generation && entry != null && entry.id() == docId) {
                current = c;
                switching = true;
                conversationBox.getItems().addFirst(c);
                conversationBox.setValue(c);
                switching = false;
            }
        }, Fx.THREAD);
        if (service.isReading()) answer.setFooter("the reading of a document pauses for this question at its next chunk…");
        Job<Reply> j = service.ask(docId, memory, q, options.get(), (done, total) -> answer.setFooter(reopening(done, total)), thought -> {
            if (answer.thinking().isEmpty()) answer.setFooter(null);
            answer.appendThinking(thought);
        }, chunk -> {
            if (answer.text().isEmpty()) answer.setFooter(null);
            answer.append(chunk);
        });
        job = j;
        answering.set(true);
        j.result().whenCompleteAsync((reply, t) -> {
            if (job == j) {
                job = null;
                answering.set(false);
            }
            answer.setPending(false);
            showFollowUp();
            if (t != null) {
                answer.set("");
                answer.setFooter("no answer: " + ErrorDialog.message(Fx.cause(t)));
                ErrorDialog.show(window(), "The question could not be answered", t);
                return;
            }
            Answer a = reply.answer();
            answer.set(a.text());
            answer.setThinking(a.thinking());
            answer.setSources(reply.sources(), reply.sourceKind(), unit(), onSource);
            String stopped = a.stopReason() == Answer.StopReason.CANCELLED ? " · stopped" : a.stopReason() == Answer.StopReason.LENGTH ? " · length limit" : "";
            String followed = reply.continued() ? " · follow-up" : "";
            answer.setFooter(Format.plural(a.tokens().length, "token", "tokens") + " · " + Format.rate(a.tokensPerSecond()) + stopped + followed);
            String sources = SourcesJson.write(reply.sources());
            saved.thenCompose(c -> service.saveAnswer(c, a.text(), a.thinking(), sources)).exceptionally(x -> {
                LOG.log(System.Logger.Level.ERROR, "cannot save an answer", x);
                return null;
            });
        }, Fx.THREAD);
    }

    /** Stops the running answer (it ends with what it has). */
    public void stop() {
        Job<Reply> j = job;
        if (j != null) j.cancel();
    }

    private void forget(FollowState t) {
        if (t.memory != null && service != null) service.forget(t.memory);
        t.memory = null;
    }

    /** The toggle shows the open conversation's setting; the note shows when it is on with nothing kept. */
    private void showFollowUp() {
        settingFollowUp = true;
        followUp.setSelected(thread.on);
        settingFollowUp = false;
        followUp.setDisable(entry == null || answering.get());
        boolean note = thread.on && !answering.get() && (thread.memory == null || !thread.memory.isLive());
        followUpNote.setVisible(note);
        followUpNote.setManaged(note);
    }

    /** What the first answer after opening a hybrid's document waits for, and how far it is. */
    static String reopening(int done, int total) {
        return done >= total ? "attention rebuilt from the saved reading; answering…"
                : String.format(Locale.ROOT, "rebuilding attention from the saved reading: %,d of %,d tokens (%s)…", done, total,
                LibraryEntry.percent((double) done / total));
    }

    static String titleOf(String question) {
        String one = question.replaceAll("\\s+", " ").strip();
        return one.length() <= 60 ? one : one.substring(0, 57) + "…";
    }

    /** Where the person types: what to ask, or why they cannot yet and what to press (the banner above has the button). */
    private String whyNoQuestion(CacheState s) {
        if (s == null) return "Select a document to ask about it…";
        double f = entry.fractionProperty().get();
        return switch (s) {
            case READY -> "Ask a question about the document…";
            case PAUSED -> "Its reading is paused at " + LibraryEntry.percent(f) + ": press Resume reading above to ask about it";
            case READING -> f < 0 ? "You can ask once it has been read (waiting to read it)" : "You can ask once it has been read (" + LibraryEntry.percent(f) + " so far)";
            case NOT_READ -> "It has not been read with this model yet: press Read now above to ask about it";
            case OUT_OF_DATE -> "Its saved reading is out of date: press Read again above to ask about it";
        };
    }

    private void showState() {
        showFollowUp();
        boolean hasDoc = entry != null;
        newConversation.setDisable(!hasDoc);
        conversationBox.setDisable(!hasDoc);
        CacheState s = hasDoc ? entry.state() : null;
        boolean ready = s == CacheState.READY;
        input.setDisable(!ready);
        send.setDisable(!ready && !answering.get());
        input.setPromptText(whyNoQuestion(s));
        boolean showBanner = hasDoc && !ready;
        banner.setVisible(showBanner);
        banner.setManaged(showBanner);
        if (showBanner) {
            double f = entry.fractionProperty().get();
            bannerProgress.setVisible(s == CacheState.READING || s == CacheState.PAUSED);
            bannerProgress.setManaged(bannerProgress.isVisible());
            bannerProgress.setProgress(f < 0 ? ProgressBar.INDETERMINATE_PROGRESS : f);
            bannerButton.setVisible(s != CacheState.READING);
            bannerButton.setManaged(s != CacheState.READING);
            switch (s) {
                case NOT_READ -> {
                    bannerText.setText("This document has not been read with this model yet. Reading it once makes every question fast" + expected() + ".");
                    bannerButton.setText("Read now");
                }
                case OUT_OF_DATE -> {
                    bannerText.setText("The saved reading was made with another model, another prompt layout or another version of the text: read it again to ask questions"
                            + expected() + ".");
                    bannerButton.setText("Read again");
                }
                case PAUSED -> {
                    bannerText.setText("Reading paused at " + LibraryEntry.percent(f) + "; it continues from there" + expected() + ".");
                    bannerButton.setText("Resume reading");
                }
                case READING -> {
                    PrefillProgress p = entry.progressProperty().get();
                    String how = p != null ? StatusBar.figures(p) : LibraryEntry.percent(f);
                    bannerText.setText(f < 0 ? "Waiting to read this document…" : "Reading the document (" + how + "). You can ask as soon as it is ready.");
                }
                default -> { }
            }
        }
        boolean empty = messages.getChildren().isEmpty();
        emptyHint.setVisible(empty);
        if (!hasDoc) {
            emptyHint.setText("Select a document on the left, or add one with Ctrl+O (or drop a file on the window).");
        } else if (ready) {
            emptyHint.setText("Ask anything about “" + entry.title() + "”. The answer comes from the saved reading, without reading the document again.");
        } else {
            emptyHint.setText("");
        }
    }

    /** " (31,000 tokens to read, about 12 min on this machine)" for the rest of the shown document's reading; "" when not known. */
    private String expected() {
        if (service == null) return "";
        DocumentStatus s = entry.status();
        return service.readingPace().map(p -> " (" + Format.plural(s.readTokens() - s.readFrom(), "token", "tokens") + " to read, "
                + p.describe(s.readFrom(), s.readTokens()) + ")").orElse("");
    }

    /** What the shown document's spans are ("page", "section"…), so its sources say where they are in its terms. */
    private String unit() {
        return entry == null ? "page" : entry.status().meta().unit();
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }
}
