package dev.goldfinch.app.cli;

import dev.goldfinch.engine.io.Npy;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Pre-fills a token sequence into the store (resuming an interrupted pre-fill of the same tokens). */
@Command(name = "prefill", mixinStandardHelpOptions = true, description = "Read a token sequence once and persist its cache in the store.")
final class PrefillCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tokens", required = true, paramLabel = "T.npy")
    Path tokens;

    @Option(names = "--db", required = true, paramLabel = "FILE.sqlite", description = "The store.")
    Path db;

    @Option(names = "--precision", defaultValue = "f16", paramLabel = "f16|q8|f32", description = "How cc_t is stored (default ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--chunk", defaultValue = "256", paramLabel = "N", description = "Tokens per pre-fill chunk.")
    int chunk;

    @Option(names = "--checkpoint-every", defaultValue = "4096", paramLabel = "N", description = "Tokens between resumable checkpoints.")
    int checkpointEvery;

    @Override
    public Integer call() {
        int[] ids = Npy.readTokens(tokens);
        CachePrecision p = CachePrecision.parse(precision);
        try (Model model = modelOptions.load(); DocumentStore store = DocumentStore.open(db)) {
            long doc = store.documents().put("tokens:" + DocumentStore.tokensHash(ids), tokens.getFileName().toString(), "", ids, null);
            DocumentReader reader = new DocumentReader(store, model).chunkTokens(chunk).checkpointEvery(checkpointEvery);
            ProgressLine progress = new ProgressLine();
            CacheInfo info = reader.prefill(doc, p, progress::show, () -> false);
            progress.done();
            System.out.printf("pre-filled %d tokens in %.2f s (%.1f tokens/s); cache: %d bytes (%.1f bytes per token, %s)%n", info.totalTokens(),
                    info.seconds(), info.totalTokens() / Math.max(1e-9, info.seconds()), info.bytes(), info.bytesPerToken(), info.precision().name().toLowerCase());
        }
        return 0;
    }
}
