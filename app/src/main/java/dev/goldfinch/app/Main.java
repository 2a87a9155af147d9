package dev.goldfinch.app;

import dev.goldfinch.app.cli.GoldfinchCommand;
import dev.goldfinch.app.ui.LaunchOptions;

/** Entry point of the `goldfinch` launcher: the command line, whose `app` command opens the window. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Logs.configure(LaunchOptions.defaultConfigDir());
        System.exit(GoldfinchCommand.run(args));
    }
}
