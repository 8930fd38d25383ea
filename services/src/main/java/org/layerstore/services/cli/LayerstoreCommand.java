// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command line of the appliance; each capability is a subcommand. */
@Command(name = "layerstore", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Zero-copy storage appliance for NXP Layerscape boards.",
        subcommands = {ServeCommand.class, PasswdCommand.class, InspectCommand.class, BenchCommand.class, BoardCommand.class,
                AotTrainingCommand.class,
                CommandLine.HelpCommand.class})
public final class LayerstoreCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: serve, inspect, bench or board");
    }

    public static void main(String[] args) {
        // Before the first logger exists: HiveMQ's jar has a logback.xml too, so ours is chosen by its own name.
        System.setProperty("logback.configurationFile", "layerstore-logback.xml");
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new LayerstoreCommand());
        cli.setExecutionExceptionHandler(new ErrorReporter());
        return cli;
    }
}
