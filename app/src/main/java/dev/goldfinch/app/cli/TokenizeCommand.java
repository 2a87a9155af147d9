package dev.goldfinch.app.cli;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `goldfinch tokenize --vocab FILE --text "..."`: the World tokenizer's ids as a JSON array on one line. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the World tokenizer's ids of a text as a JSON array on one line.")
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--vocab", required = true, paramLabel = "FILE",
            description = "The vocabulary file rwkv_vocab_v20230424.txt.")
    Path vocab;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "The text to tokenize.")
        String text;

        @Option(names = "--file", paramLabel = "FILE", description = "Tokenize the bytes of this file instead.")
        Path file;
    }

    @Override
    public Integer call() {
        WorldTokenizer tokenizer = WorldTokenizer.load(vocab);
        int[] ids = input.file != null ? tokenizer.encodeBytes(readFile(input.file)) : tokenizer.encode(argument(input.text));
        StringBuilder sb = new StringBuilder(ids.length * 7 + 2).append('[');
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ids[i]);
        }
        System.out.println(sb.append(']'));
        System.out.flush();
        return 0;
    }

    private static byte[] readFile(Path file) {
        InputFiles.requireRegular(file, "--file " + file);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EngineException("file not found: " + file, e);
        } catch (IOException e) {
            throw new EngineException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The argument as the user typed it. The JVM decodes the command line with the platform charset
     * (sun.jnu.encoding); under a non-UTF-8 locale (LANG=C) non-ASCII text arrives mangled, so on Linux the raw
     * bytes are taken from /proc/self/cmdline: the argument there that decodes, in that charset, to what we got.
     */
    static String argument(String value) {
        Charset jnu;
        try {
            jnu = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return value;
        }
        if (jnu.equals(StandardCharsets.UTF_8) || value.chars().allMatch(c -> c < 0x80 && c != '?')) {
            return value;
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            String found = null;
            for (int start = 0, i = 0; i <= cmdline.length; i++) {
                if (i == cmdline.length || cmdline[i] == 0) {
                    if (i > start && new String(cmdline, start, i - start, jnu).equals(value)) {
                        found = new String(cmdline, start, i - start, StandardCharsets.UTF_8);
                    }
                    start = i + 1;
                }
            }
            return found != null ? found : value;
        } catch (IOException | RuntimeException e) {
            return value;
        }
    }
}
