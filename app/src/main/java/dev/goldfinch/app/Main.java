package dev.goldfinch.app;

import dev.goldfinch.app.cli.GoldfinchCommand;

/** Entry point of the `goldfinch` launcher: the command line, whose `app` command opens the window. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(GoldfinchCommand.run(args));
    }
}
