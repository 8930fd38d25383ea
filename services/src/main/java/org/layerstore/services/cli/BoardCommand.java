package org.layerstore.services.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until its capability lands: says so and exits with status 3, never pretends. */
@Command(name = "board", mixinStandardHelpOptions = true, description = "Show the detected board, its profile and live sensors.")
final class BoardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("board: not available in this build yet (tracked as issue 7)");
        return 3;
    }
}
