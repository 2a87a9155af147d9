package dev.goldfinch.app.cli;

import dev.goldfinch.app.cli.bench.BenchCommand;
import dev.goldfinch.engine.kernel.Vectors;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The `goldfinch` command and its subcommands. Every failure becomes one line, {@code goldfinch: …}, and a non-zero
 * exit: a bad argument (exit 2), an exception, and an {@link Error} too (an OutOfMemoryError, a StackOverflowError),
 * which picocli lets through; a bad -Dgoldfinch.vectorBits is refused so before any command runs. --debug adds the
 * stack trace.
 */
@Command(name = "goldfinch", mixinStandardHelpOptions = true, version = "GoldFinch Reader 0.1",
        description = "Read a document once with a GoldFinch model, then ask it anything.",
        subcommands = {LogitsCommand.class, CacheCommand.class, InfoCommand.class, GenerateCommand.class, PrefillCommand.class, CacheStatsCommand.class,
                TokenizeCommand.class, DetokenizeCommand.class, IngestCommand.class, AppCommand.class, AskCommand.class, ExportCommand.class, ImportCommand.class,
                BenchCommand.class, DownloadCommand.class, DemoModelCommand.class, CheckRecallCommand.class})
public final class GoldfinchCommand implements Runnable {

    @Option(names = "--debug", description = "Show stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static int run(String[] args) {
        return run(new CommandLine(new GoldfinchCommand()), args);
    }

    /** Runs {@code args} on a command line built from a GoldfinchCommand (tests add subcommands of their own). */
    static int run(CommandLine cl, String[] args) {
        cl.setExecutionExceptionHandler((e, line, parsed) -> report(e, line.getErr(), debug(parsed)));
        cl.setParameterExceptionHandler(GoldfinchCommand::badArguments);
        try {
            Vectors.check();
            return cl.execute(args);
        } catch (Error e) {
            return report(e, cl.getErr(), debug(cl.getParseResult()));
        }
    }

    /** One line that says what is wrong; the stack trace only with --debug. */
    private static int report(Throwable e, PrintWriter err, boolean debug) {
        err.println("goldfinch: " + describe(e).lines().findFirst().orElse(""));
        if (debug) e.printStackTrace(err);
        err.flush();
        return 1;
    }

    /** The message a person can act on; for an Error, what happened in words. */
    static String describe(Throwable e) {
        return dev.goldfinch.app.FailureMessage.of(e);
    }

    /** A bad command line: one line with where to look, not the whole usage text. */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        err.println("goldfinch: " + message + " (see " + cl.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static boolean debug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) return true;
        }
        return false;
    }
}
