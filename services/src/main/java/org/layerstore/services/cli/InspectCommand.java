package org.layerstore.services.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until its capability lands: says so and exits with status 3, never pretends. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a file's pages as physical runs and the frame descriptors the offload engine would build.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The file.")
    Path file;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("inspect: not available in this build yet (tracked as issue 4)");
        return 3;
    }
}
