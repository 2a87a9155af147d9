package dev.goldfinch.app.cli;

import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.ModelConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** What a checkpoint is: architecture, sizes, parameters, dtype, and what its persisted cache costs per token. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a checkpoint: architecture, sizes, parameters, dtype, cache bytes per token, state bytes per document.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    /** Chat or base: the tensors look alike, so it comes from the catalogue or the JSON beside the checkpoint. */
    private String kind(Architecture architecture) {
        var side = ModelLoader.SideDescription.beside(modelOptions.model);
        if (side.kind().isPresent()) return side.kind().get() + " (from the JSON beside the checkpoint)";
        var entry = ModelCatalogue.load().byFile(modelOptions.model);
        if (entry.isPresent()) return entry.get().kind() + " (" + entry.get().name() + ", from the catalogue)";
        if (architecture == Architecture.RWKV7) return "chat (an RWKV-7 model: documents and questions in the G1 template)";
        return "base (not in the catalogue; write {\"kind\": \"chat\"} in a JSON beside the checkpoint for a chat model)";
    }

    @Override
    public Integer call() {
        try (Model model = modelOptions.load()) {
            ModelConfig c = model.config();
            System.out.println("architecture: " + c.architecture().id);
            System.out.println("layers (L): " + c.layerCount() + "  " + c.layers());
            System.out.printf("sizes: D=%d A=%d H=%d N=%d F=%d V=%d%n", c.dModel(), c.dAtt(), c.heads(), c.headSize(), c.dFfn(), c.vocab());
            if (c.architecture().hasCompressedCache()) {
                System.out.printf("recurrent layers (c): %d, cache compression (r): %d, cc width D/r: %d%n", c.rnnLayers(), c.compressionRatio(), c.compressedWidth());
            }
            System.out.println("rope: " + (c.ropeBase() > 0 ? "base " + (long) c.ropeBase() : "none"));
            System.out.printf("parameters: %,d%n", model.parameterCount());
            System.out.println("dtype: " + c.dtype().name().toLowerCase());
            System.out.println("kind: " + kind(c.architecture()));
            double full = c.transformerBytesPerToken();
            switch (c.architecture()) {
                case FINCH, FINCH_C2, RWKV7 -> System.out.printf("persisted cache: constant (recurrent state only), 0 bytes per token; a transformer of this shape: %.0f bytes per token%n", full);
                default -> System.out.printf("persisted cache: %.0f bytes per token; a transformer of this shape: %.0f bytes per token (%.1fx)%n",
                        c.persistedBytesPerToken(), full, full / c.persistedBytesPerToken());
            }
            if (c.architecture() != Architecture.LLAMA) {
                System.out.printf("state per document: %,d bytes (%.2f MB; shift and WKV states of every layer, float32), whatever its length%n",
                        c.persistedStateBytes(), c.persistedStateBytes() / 1e6);
            }
        }
        return 0;
    }
}
