package dev.goldfinch.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Opens a checkpoint and builds its model. What the tensors cannot say (RoPE base, head size) comes from a
 * JSON beside the checkpoint ({@code NAME.json} with {@code rope_base}, {@code head_size}) or from the caller,
 * whose value wins.
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    public static Model load(Path checkpointFile, OptionalDouble ropeBaseOverride) {
        return load(checkpointFile, ropeBaseOverride, WeightFormat.STORED);
    }

    public static Model load(Path checkpointFile, OptionalDouble ropeBaseOverride, WeightFormat format) {
        SideDescription side = SideDescription.beside(checkpointFile);
        double rope = ropeBaseOverride.isPresent() ? ropeBaseOverride.getAsDouble() : side.ropeBase;
        Checkpoint ckpt = Checkpoint.open(checkpointFile);
        try {
            return Model.load(ckpt, rope, side.headSize, format);
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /** The optional side JSON of a checkpoint. */
    public record SideDescription(double ropeBase, Optional<Integer> headSize, Optional<String> kind) {

        public static SideDescription beside(Path checkpointFile) {
            String name = checkpointFile.getFileName().toString();
            String stem = name.endsWith(".pth") ? name.substring(0, name.length() - 4) : name;
            Path json = checkpointFile.resolveSibling(stem + ".json");
            if (!Files.isRegularFile(json)) return new SideDescription(0, Optional.empty(), Optional.empty());
            try {
                JsonNode root = new ObjectMapper().readTree(json.toFile());
                JsonNode rope = root.path("rope_base");
                JsonNode head = root.path("head_size");
                JsonNode kind = root.path("kind");
                return new SideDescription(rope.isNumber() ? rope.asDouble() : 0,
                        head.isInt() ? Optional.of(head.asInt()) : Optional.empty(),
                        kind.isTextual() ? Optional.of(kind.asText()) : Optional.empty());
            } catch (IOException e) {
                throw new EngineException(json + ": unreadable model description: " + e.getMessage().lines().findFirst().orElse(""), e);
            }
        }
    }
}
