package dev.goldfinch.app.cli;

import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.ModelIdentity;
import dev.goldfinch.engine.store.StoredDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Per persisted cache: tokens, bytes on disk, bytes per token and the ratio to a full transformer cache. */
@Command(name = "cache-stats", mixinStandardHelpOptions = true, description = "Show what every persisted cache in the store costs.")
final class CacheStatsCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, paramLabel = "FILE.sqlite")
    Path db;

    @Override
    public Integer call() {
        if (!Files.exists(db)) throw new dev.goldfinch.engine.EngineException("store " + db + ": no such file");
        try (DocumentStore store = DocumentStore.open(db)) {
            List<CacheInfo> caches = store.readings().all();
            if (caches.isEmpty()) System.out.println("no caches in " + db);
            for (CacheInfo c : caches) {
                String name = store.documents().get(c.documentId()).map(StoredDocument::name).orElse("?");
                ModelIdentity model = store.models().get(c.modelId()).orElse(new ModelIdentity("?", "?", 0, "?", 0, 0, "unknown model"));
                double full = model.transformerBytesPerToken();
                System.out.printf("cache %d: document '%s', model %s (%s)%n", c.id(), name, model.description(), model.path());
                java.util.Optional<String> damage = store.readings().verify(c);
                if (damage.isPresent()) {
                    System.out.printf("  damaged: %s; it will not be used as it is: the document will be read again from its last intact checkpoint%n", damage.get());
                    continue;
                }
                System.out.printf("  state: %s, %d of %d tokens, %s, read in %.2f s%n", c.complete() ? "complete" : "partial (resumable)",
                        c.positions(), c.totalTokens(), c.precision().name().toLowerCase(), c.seconds());
                System.out.printf("  bytes on disk: %d for the per-token cache (+ %d of constant-size layer states)%n", c.bytes(), c.stateBytes());
                System.out.printf("  bytes per token: %.2f%n", c.bytesPerToken());
                if (full > 0 && c.bytesPerToken() > 0) {
                    System.out.printf("  full transformer cache of the same size: %.0f bytes per token (2*L*A*2); ratio: %.1fx smaller%n", full, full / c.bytesPerToken());
                }
            }
        }
        return 0;
    }
}
