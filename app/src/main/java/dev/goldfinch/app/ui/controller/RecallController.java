package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.models.LocalModel;
import dev.goldfinch.app.recall.RecallCheck;
import dev.goldfinch.app.recall.RecallCost;
import dev.goldfinch.app.recall.RecallGrid;
import dev.goldfinch.app.recall.RecallHistory;
import dev.goldfinch.app.recall.RecallPlan;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.service.Job;
import dev.goldfinch.app.ui.service.ModelInfo;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.ModelsDialog;
import dev.goldfinch.app.ui.view.RecallDialog;
import dev.goldfinch.engine.store.StoredRecallCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javafx.stage.Window;

/**
 * The recall check in the window: each installed model's stored verdict for the models list, and the recall dialog
 * of one model (its grid; for the model in use, running a check on the model thread with its cost, progress and
 * Cancel). One dialog per model at a time.
 */
public final class RecallController implements ModelsDialog.Recall {
    private final WindowShell window;
    private final Runnable checked;
    private final Map<Path, RecallDialog> open = new java.util.HashMap<>();

    /** {@code checked} runs (on the JavaFX thread) when a check ends: the models list shows the new verdict. */
    public RecallController(WindowShell window, Runnable checked) {
        this.window = window;
        this.checked = checked;
    }

    /** The dialog shown for a checkpoint, if any. */
    public Optional<RecallDialog> dialog(Path checkpoint) {
        return Optional.ofNullable(open.get(key(checkpoint))).filter(d -> d.stage().isShowing());
    }

    /** Each model's stored verdict in a few words ("reliable up to about 16k tokens (2026-12-01)", "not checked"). */
    @Override
    public CompletableFuture<Map<Path, String>> summaries(List<LocalModel> models) {
        ReaderService service = window.service();
        if (service == null) return CompletableFuture.completedFuture(Map.of());
        return service.recallChecks(models.stream().map(LocalModel::checkpoint).toList())
                .thenApply(found -> found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> RecallHistory.summary(e.getValue()))));
    }

    /** Shows the recall dialog of {@code model} over {@code owner}. */
    @Override
    public void show(Window owner, LocalModel model) {
        RecallDialog shown = dialog(model.checkpoint()).orElse(null);
        if (shown != null) {
            shown.stage().toFront();
            return;
        }
        RecallDialog d = new RecallDialog(owner, model.name(), new RecallDialog.Actions() {
            @Override
            public CompletableFuture<Optional<RecallGrid>> stored() {
                ReaderService service = window.service();
                if (service == null) return CompletableFuture.completedFuture(Optional.empty());
                return service.recallChecks(List.of(model.checkpoint()))
                        .thenApply(m -> m.getOrDefault(model.checkpoint(), Optional.<StoredRecallCheck>empty()).map(RecallHistory::grid));
            }

            @Override
            public Optional<String> cannotRun() {
                ReaderService service = window.service();
                boolean inUse = service != null && service.model().map(ModelInfo::checkpoint).map(RecallController::key).filter(key(model.checkpoint())::equals)
                        .isPresent();
                return inUse ? Optional.empty() : Optional.of("The check reads with the model in use: choose “" + model.name()
                        + "” with Use this model in File → Models… to run it.");
            }

            @Override
            public Optional<RecallCost> cost(RecallPlan plan) {
                return window.service().recallCost(plan);
            }

            @Override
            public RecallDialog.Running run(RecallPlan plan, Consumer<RecallCheck.Progress> progress) {
                Job<RecallGrid> job = window.service().checkRecall(plan, progress);
                window.statusBar().showMessage("Recall check of " + model.name() + " running (File → Models… → Recall check… shows it).");
                job.result().whenComplete((g, t) -> Fx.THREAD.execute(() -> {
                    if (window.closing()) return;
                    window.statusBar().showMessage(t != null ? "The recall check failed." : g.finished() ? "Recall check of " + model.name() + " done."
                            : "Recall check stopped; its cells so far are kept.");
                    checked.run();
                }));
                return new RecallDialog.Running(job.result(), job::cancel);
            }
        });
        open.put(key(model.checkpoint()), d);
        d.show();
    }

    private static Path key(Path checkpoint) {
        return checkpoint.toAbsolutePath().normalize();
    }
}
