package dev.goldfinch.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `goldfinch` command and its subcommands; errors become one line unless --debug is given. */
@Command(name = "goldfinch", mixinStandardHelpOptions = true, version = "GoldFinch Reader 0.1",
        description = "Read a document once with a GoldFinch model, then ask it anything.",
        subcommands = {})
public final class GoldfinchCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static int run(String[] args) {
        return new CommandLine(new GoldfinchCommand()).execute(args);
    }
}
