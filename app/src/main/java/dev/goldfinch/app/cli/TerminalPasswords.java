package dev.goldfinch.app.cli;

import dev.goldfinch.ingest.IngestOptions;
import java.io.Console;
import java.nio.file.Path;

/**
 * The password of a locked document on the command line: the one given with --password, else, on a terminal, asked
 * without echo; a wrong one is asked again on a terminal (ingest stops after a few). Without a terminal and without
 * --password there is none, and the document fails in one line that says to give it with --password.
 */
final class TerminalPasswords implements IngestOptions.PasswordSupplier {
    private final String given;

    TerminalPasswords(String given) {
        this.given = given;
    }

    @Override
    public String passwordFor(Path file) {
        return given != null ? given : ask("%s is password-protected. Password: ", file.getFileName());
    }

    @Override
    public String passwordAfterWrong(Path file, int wrong) {
        return ask("That password is wrong. Password for %s (Enter alone gives up): ", file.getFileName());
    }

    /** Asks on the terminal without echo; null without a terminal, or for an empty answer or end of input. */
    private static String ask(String prompt, Object name) {
        Console c = System.console();
        if (c == null || !c.isTerminal()) return null;
        char[] typed = c.readPassword(prompt, name);
        if (typed == null || typed.length == 0) return null;
        String password = new String(typed);
        java.util.Arrays.fill(typed, ' ');
        return password;
    }
}
