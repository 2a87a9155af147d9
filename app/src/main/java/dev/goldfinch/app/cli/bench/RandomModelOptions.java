package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels.Shape;
import dev.goldfinch.engine.tensor.DType;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Which random model a benchmark times (a picocli mixin): its shape, architecture and weights. */
final class RandomModelOptions {
    @Option(names = "--shape", required = true, paramLabel = "L24-D2048", description = "L12-D768, L24-D2048, L32-D2560, or any LN-DM.")
    String shape;

    @Option(names = "--arch", defaultValue = "goldfinch", paramLabel = "A", description = "goldfinch, finch, finchc2, rwkv7, llama, goldfinch_upgrade (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--weights", defaultValue = "bf16", paramLabel = "bf16|f32|int8",
            description = "Weights as stored (bf16, f32) or bf16 quantized to int8 at load (default ${DEFAULT-VALUE}).")
    String weights;

    Shape shape() {
        return Shape.parse(shape);
    }

    Architecture architecture() {
        for (Architecture a : Architecture.values()) if (a.id.equalsIgnoreCase(arch)) return a;
        throw new IllegalArgumentException("unknown architecture '" + arch + "' (goldfinch, finch, finchc2, rwkv7, llama, goldfinch_upgrade)");
    }

    /** --weights int8: the bf16 checkpoint, quantized at load as the int8 weights option does. */
    static boolean isInt8(String weights) {
        return weights.equalsIgnoreCase("int8");
    }

    /** The checkpoint type a --weights value reads: bf16 for int8, else the type named. */
    static DType storedType(String weights) {
        if (isInt8(weights)) return DType.BF16;
        return switch (weights.toLowerCase(Locale.ROOT)) {
            case "bf16" -> DType.BF16;
            case "f32", "fp32" -> DType.F32;
            default -> throw new IllegalArgumentException("--weights must be bf16 or f32, not '" + weights + "'");
        };
    }
}
