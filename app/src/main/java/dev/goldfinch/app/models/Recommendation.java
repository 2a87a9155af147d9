package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.ModelCatalogue.Entry;
import dev.goldfinch.app.models.ModelCatalogue.Fit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The model to suggest for a machine, with the one sentence that says why (shown to the user as is). The rule, by
 * memory and by speed:
 * <ol>
 *   <li>the candidates are the chat models that fit this machine's memory ({@link ModelCatalogue#fit}) and read a
 *       100-page document ({@link ReadingTime#DOCUMENT_TOKENS}) within {@link ReadingTime#LIMIT_SECONDS};</li>
 *   <li>of those, the catalogue's preferred family if any of it is there, else all of them;</li>
 *   <li>the largest that fits in bf16, else the largest that fits as int8 (as before: bf16 keeps the full quality);</li>
 *   <li>no candidate: the quickest reader among the chat models that fit (the preferred family on a tie); none fits:
 *       the smallest model.</li>
 * </ol>
 */
public record Recommendation(Entry entry, String reason) {

    public static Recommendation choose(ModelCatalogue catalogue, long machineMemory, ReadingTime reading) {
        String memory = bytes(machineMemory);
        List<Entry> fitting = catalogue.models().stream().filter(Entry::isChat)
                .filter(e -> ModelCatalogue.fit(e, machineMemory) != Fit.TOO_BIG).toList();
        List<Entry> candidates = fitting.stream().filter(reading::fastEnough).toList();
        ModelCatalogue.Family preferred = catalogue.preferredFamily();
        List<Entry> ofFamily = preferred == null ? List.of()
                : candidates.stream().filter(e -> preferred.id().equals(e.family())).toList();

        if (!candidates.isEmpty()) {
            List<Entry> pool = ofFamily.isEmpty() ? candidates : ofFamily;
            Entry best = largest(pool, machineMemory);
            String which = !ofFamily.isEmpty() ? "the largest " + preferred.name() + " model"
                    : preferred != null ? "no " + preferred.name() + " model does both here; it is the largest chat model" : "the largest chat model";
            String fit = ModelCatalogue.fit(best, machineMemory) == Fit.BF16 ? "" : " as int8";
            return new Recommendation(best, best.name() + " is recommended: " + which + " that fits this machine's " + memory
                    + " of memory" + fit + " and reads a 100-page document (50k tokens) within 30 minutes ("
                    + ReadingTime.describe(reading.documentSeconds(best)) + " here).");
        }
        if (!fitting.isEmpty()) {
            Comparator<Entry> quickest = Comparator.comparingDouble(reading::documentSeconds)
                    .thenComparing(e -> preferred == null || !preferred.id().equals(e.family()));
            Entry best = fitting.stream().min(quickest).orElseThrow();
            return new Recommendation(best, best.name() + " is recommended: no chat model that fits reads a 100-page document"
                    + " within 30 minutes on this machine; it is the quickest (" + ReadingTime.describe(reading.documentSeconds(best)) + ").");
        }
        Entry smallest = catalogue.models().stream().min(Comparator.comparingLong(Entry::parameters)).orElseThrow();
        return new Recommendation(smallest, smallest.name() + " is suggested: no chat model fits this machine's " + memory
                + " of memory; it is the smallest model.");
    }

    /** The largest that fits in bf16, else the largest that fits as int8. */
    private static Entry largest(List<Entry> pool, long machineMemory) {
        Comparator<Entry> bySize = Comparator.comparingLong(Entry::parameters);
        Optional<Entry> bf16 = pool.stream().filter(e -> ModelCatalogue.fit(e, machineMemory) == Fit.BF16).max(bySize);
        return bf16.orElseGet(() -> pool.stream().max(bySize).orElseThrow());
    }

    public String id() {
        return entry.id();
    }
}
