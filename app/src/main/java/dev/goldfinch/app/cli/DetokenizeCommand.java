package dev.goldfinch.app.cli;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** `goldfinch detokenize --vocab FILE --ids 1,2,3`: the text of the ids. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Print the text of World tokenizer ids (malformed UTF-8 shown as U+FFFD).")
public final class DetokenizeCommand implements Callable<Integer> {

    @Option(names = "--vocab", required = true, paramLabel = "FILE",
            description = "The vocabulary file rwkv_vocab_v20230424.txt.")
    java.nio.file.Path vocab;

    @Option(names = "--ids", required = true, paramLabel = "IDS",
            description = "Comma-separated token ids, e.g. 33155,40213 (a JSON array also works).")
    String ids;

    @Option(names = "--raw", description = "Write the exact bytes of the tokens, without a final newline.")
    boolean raw;

    @Override
    public Integer call() {
        int[] parsed = parseIds(ids);
        WorldTokenizer tokenizer = WorldTokenizer.load(vocab);
        byte[] out = raw ? tokenizer.decodeBytes(parsed)
                : (tokenizer.decode(parsed) + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        // Bytes, not a PrintStream's charset: the text stays UTF-8 whatever the locale says.
        System.out.write(out, 0, out.length);
        System.out.flush();
        return 0;
    }

    static int[] parseIds(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.isEmpty()) {
            return new int[0];
        }
        return Arrays.stream(s.split(",")).map(String::strip).mapToInt(part -> {
            try {
                return Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new EngineException("not a token id: '" + part + "' (expected e.g. --ids 1,2,3)");
            }
        }).toArray();
    }
}
