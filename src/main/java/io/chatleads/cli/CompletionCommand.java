package io.chatleads.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.Locale;

/**
 * {@code completion bash|zsh}: the completion script for every command and option, from picocli's
 * generator. It is given this very command line (the root instance and the subcommands added to
 * it), so the generator never has to construct {@link ChatleadsCommand} itself. One script serves
 * both shells: zsh runs it through bashcompinit, which the script loads itself.
 */
@Command(name = "completion", description = "Print a shell completion script, for example: source <(chatleads completion bash)")
final class CompletionCommand implements Runnable {

    @ParentCommand
    ChatleadsCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "bash|zsh", description = "The shell.")
    String shell;

    @Override
    public void run() {
        String which = shell.strip().toLowerCase(Locale.ROOT);
        if (!which.equals("bash") && !which.equals("zsh")) {
            throw new CliException("completion is for bash or zsh, got '" + shell + "'");
        }
        root.out.print(AutoComplete.bash("chatleads", spec.root().commandLine()));
        root.out.flush();
    }
}
