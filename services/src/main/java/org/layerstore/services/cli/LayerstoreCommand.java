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

    /** Netty's system property for its buffer leak detector's level. */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: serve, inspect, bench or board");
    }

    public static void main(String[] args) {
        // Before the first logger exists: HiveMQ's jar has a logback.xml too, so ours is chosen by its own name.
        System.setProperty("logback.configurationFile", "layerstore-logback.xml");
        // Netty's leak detector, on by default, records a stack trace for one buffer in 128 and has every
        // pipeline step touch its message: 3-4 % of a small request's CPU (docs/benchmarks.md). A debugging
        // aid, so off unless asked for (-Dio.netty.leakDetection.level=simple or paranoid); the tests keep it.
        if (System.getProperty(LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new LayerstoreCommand());
        cli.setExecutionExceptionHandler(new ErrorReporter());
        return cli;
    }
}
