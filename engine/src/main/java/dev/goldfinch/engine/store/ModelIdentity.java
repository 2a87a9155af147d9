package dev.goldfinch.engine.store;

import dev.goldfinch.engine.model.Model;
import java.nio.file.Path;

/** What a cache is recorded against: the checkpoint's fingerprint, where it was, how big, what it is. */
public record ModelIdentity(String identity, String path, long size, String architecture, int layers, int attWidth,
                            String description) {

    /** What a full transformer of this shape caches per token: k and v of every layer at 16 bits (2·L·A·2). */
    public double transformerBytesPerToken() {
        return 2.0 * layers * attWidth * 2;
    }

    public static ModelIdentity of(Model model) {
        Path p = model.checkpoint().path().toAbsolutePath();
        return new ModelIdentity(model.checkpoint().identity(), p.toString(), model.checkpoint().fileSize(),
                model.config().architecture().id, model.config().layerCount(), model.config().dAtt(), model.config().describe());
    }
}
