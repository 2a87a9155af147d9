package dev.goldfinch.app.cli;

import dev.goldfinch.engine.EngineException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The `goldfinch` command and its subcommands; errors become one line unless --debug is given. */
@Command(name = "goldfinch", mixinStandardHelpOptions = true, version = "GoldFinch Reader 0.1",
        description = "Read a document once with a GoldFinch model, then ask it anything.",
        subcommands = {LogitsCommand.class, CacheCommand.class, InfoCommand.class, GenerateCommand.class, PrefillCommand.class, CacheStatsCommand.class,
                TokenizeCommand.class, DetokenizeCommand.class, IngestCommand.class, AppCommand.class, AskCommand.class, BenchCommand.class, DownloadCommand.class})
public final class GoldfinchCommand implements Runnable {

    @Option(names = "--debug", description = "Show stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static int run(String[] args) {
        CommandLine cl = new CommandLine(new GoldfinchCommand());
        cl.setExecutionExceptionHandler(GoldfinchCommand::handle);
        return cl.execute(args);
    }

    /** One line that says what is wrong; the stack trace only with --debug. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = parsed.hasMatchedOption("--debug") || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"))
                || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
        String message = e instanceof EngineException || e.getMessage() != null && !(e instanceof NullPointerException)
                ? e.getMessage() : e.toString();
        err.println("goldfinch: " + (message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("")));
        if (debug) e.printStackTrace(err);
        err.flush();
        return 1;
    }
}
