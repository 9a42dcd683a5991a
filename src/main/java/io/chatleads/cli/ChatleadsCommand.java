package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.Settings;
import io.chatleads.Settings.SettingsException;
import io.chatleads.SecretScrubber;
import io.chatleads.db.SqlErrors;
import io.chatleads.error.DomainException;
import io.chatleads.error.Unavailable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

/** {@code java -jar chatleads.jar COMMAND}: every command reads the same settings as {@code serve}. */
@Command(name = "chatleads",
        mixinStandardHelpOptions = true,
        versionProvider = ChatleadsCommand.Version.class,
        description = "Self-hostable lead service for chatbots.")
public final class ChatleadsCommand {

    /** The commands, in the order help lists them; added in {@link #run}. */
    private static final List<Class<?>> COMMANDS = List.of(
            ServeCommand.class,
            OwnerCommand.class,
            ChatbotCommand.class,
            KeyCommand.class,
            LeadCommand.class,
            WebhookCommand.class,
            ConfigCommand.class,
            DevCommand.class,
            CompletionCommand.class);

    /** Exit status meaning "the server is running; do not exit". */
    public static final int KEEP_RUNNING = -1;
    public static final int USAGE = 2;
    public static final int FAILURE = 1;

    private final Supplier<Settings> settings;
    /** What a command reads for the file name {@code -}. */
    final InputStream in;
    final PrintStream out;
    final PrintStream err;

    private ChatleadsCommand(Supplier<Settings> settings, InputStream in, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    Settings settings() {
        return settings.get();
    }

    /** Opens the database (running migrations) for a command; closed by the caller. */
    Chatleads open() {
        return Chatleads.open(settings());
    }

    public static int run(String[] args, Supplier<Settings> settings, PrintStream out, PrintStream err) {
        return run(args, settings, System.in, out, err);
    }

    public static int run(String[] args, Supplier<Settings> settings, InputStream in, PrintStream out, PrintStream err) {
        ChatleadsCommand root = new ChatleadsCommand(settings, in, out, err);
        CommandLine commandLine = new CommandLine(root);
        // picocli inspects every command it is given (reflection over all their options) before it
        // parses anything: `serve`, whose start-up time matters, is given only itself. Added before the
        // settings below, which apply to the commands present when they are set.
        boolean serve = args.length > 0 && args[0].equals("serve");
        for (Class<?> command : serve ? List.of(ServeCommand.class) : COMMANDS) {
            commandLine.addSubcommand(command);
        }
        commandLine.getSubcommands().values().forEach(ChatleadsCommand::addLongHelpOption);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        // Chatbot ids may start with '-' (their alphabet is URL-safe base64), and must still be
        // read as the positional CHATBOT_ID of commands like `chatbot update`.
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        commandLine.setParameterExceptionHandler((e, allArgs) -> {
            err.println("error: " + Suggestions.of(e, allArgs).map(SecretScrubber::scrub).orElse(printable(e.getMessage())) + " (see --help)");
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof CliException || e instanceof DomainException) {
                // Bad input or an unknown id: what the HTTP API answers 4xx to.
                err.println("error: " + printable(e.getMessage()));
                return USAGE;
            }
            if (e instanceof SettingsException) {
                err.println("error: " + printable(e.getMessage()));
                return FAILURE;
            }
            if (SqlErrors.isUnavailable(e)) {
                // What the HTTP API answers 503 to: the same sentence, and worth running again.
                err.println("error: " + new Unavailable().getMessage());
                return FAILURE;
            }
            err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + printable(String.valueOf(e.getMessage())));
            return FAILURE;
        });
        return commandLine.execute(args);
    }

    /**
     * Every error ends "(see --help)", so every command takes --help, not only this one. Only the
     * long form: chatbot ids may start with '-', and "-h…" must stay an id, not ask for help.
     */
    private static void addLongHelpOption(CommandLine command) {
        command.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("--help")
                .usageHelp(true)
                .description("Show this help message and exit.")
                .build());
        command.getSubcommands().values().forEach(ChatleadsCommand::addLongHelpOption);
    }

    /**
     * The first line of a message for the terminal, scrubbed of secrets: many embed a driver's or
     * library's own words, which may repeat a URL's password or a key.
     */
    private static String printable(String message) {
        return message == null ? "" : SecretScrubber.scrub(message.lines().findFirst().orElse(""));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ChatleadsCommand.class.getPackage().getImplementationVersion();
            return new String[]{"chatleads " + (version == null ? "development build" : version)};
        }
    }
}
