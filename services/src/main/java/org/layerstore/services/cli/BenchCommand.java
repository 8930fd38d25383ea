package org.layerstore.services.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until its capability lands: says so and exits with status 3, never pretends. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Send a file through every available transmit engine and compare them side by side.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The file.")
    Path file;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("bench: not available in this build yet (tracked as issue 4)");
        return 3;
    }
}
