// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.layerstore.datapath.RandomContent;
import org.layerstore.datapath.engine.TransmitEngine;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.services.bench.EngineBenchResult;
import org.layerstore.services.bench.EngineBenchmark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sends one file through every available transmit engine to a loopback receiver and compares them. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Send a file through every available transmit engine and compare them side by side.")
final class BenchCommand implements Callable<Integer> {

    private static final double MIB = 1024.0 * 1024.0;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1",
            description = "The file to send (default: a temporary file of --size random bytes, deleted afterwards).")
    Path file;

    @Option(names = "--size", paramLabel = "MIB", defaultValue = "256",
            description = "Size of the temporary file when no FILE is given, in MiB (default ${DEFAULT-VALUE}).")
    int sizeMib;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Times each engine sends the file; the results are totals (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--engines", paramLabel = "NAME", split = ",",
            description = "Engines to run, comma-separated (default: every available one).")
    List<String> engineNames;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Mixin
    BoardOption board;

    @Override
    public Integer call() throws IOException {
        try (TransmitEngines engines = TransmitEngines.standard(board.datapath())) {
            List<TransmitEngine> selected = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (TransmitEngine engine : engineNames == null ? engines.all()
                    : engineNames.stream().map(engines::engine).toList()) {
                if (engine.availability().available()) {
                    selected.add(engine);
                } else {
                    skipped.add(engine.name() + ": " + engine.availability().reason());
                }
            }
            Path source = file;
            if (source == null) {
                source = Files.createTempFile("layerstore-bench-", ".bin");
                writeRandom(source, sizeMib * (long) MIB);
            }
            try {
                List<EngineBenchResult> results = new EngineBenchmark().run(source, selected, rounds);
                if (json) {
                    printJson(source, results, skipped);
                } else {
                    printTable(source, results, skipped);
                }
                return 0;
            } finally {
                if (file == null) {
                    Files.deleteIfExists(source);
                }
            }
        }
    }

    private void printTable(Path source, List<EngineBenchResult> results, List<String> skipped) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("bench: %s, %d bytes, %d round(s) per engine, to a loopback receiver; CPU is the sending thread's"
                + " (user + system)%n", source, Files.size(source), rounds);
        out.printf("%-10s %10s %12s %16s %10s  %s%n", "engine", "MiB/s", "CPU s/GiB", "CPU-copied MiB", "syscalls", "fallbacks");
        for (EngineBenchResult r : results) {
            out.printf("%-10s %10.1f %12.3f %16.1f %10d  %s%n", r.engine(), r.mibPerSecond(), r.cpuSecondsPerGib(),
                    r.cpuCopiedBytes() / MIB, r.syscalls(), r.fallbacks().isEmpty() ? "-" : r.fallbacks());
        }
        for (String reason : skipped) {
            out.println("skipped " + reason);
        }
        out.flush();
    }

    private void printJson(Path source, List<EngineBenchResult> results, List<String> skipped) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(spec.commandLine().getOut())) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("file", source.toString());
            json.writeNumberField("bytes", Files.size(source));
            json.writeNumberField("rounds", rounds);
            json.writeArrayFieldStart("engines");
            for (EngineBenchResult r : results) {
                json.writeStartObject();
                json.writeStringField("engine", r.engine());
                json.writeNumberField("bytes", r.bytes());
                json.writeNumberField("mibPerSecond", r.mibPerSecond());
                json.writeNumberField("cpuSecondsPerGiB", r.cpuSecondsPerGib());
                json.writeNumberField("cpuCopiedBytes", r.cpuCopiedBytes());
                json.writeNumberField("syscalls", r.syscalls());
                json.writeObjectFieldStart("fallbacks");
                for (var fallback : r.fallbacks().entrySet()) {
                    json.writeNumberField(fallback.getKey(), fallback.getValue());
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("skipped");
            for (String reason : skipped) {
                json.writeString(reason);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().flush();
    }

    private static void writeRandom(Path path, long size) throws IOException {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.WRITE)) {
            RandomContent.write(out, size, new SplittableRandom(), null);
        }
    }
}
