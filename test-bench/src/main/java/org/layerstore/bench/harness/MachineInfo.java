// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The machine a run measured: the numbers mean nothing without it. */
record MachineInfo(int cpus, String cpuModel, String kernel, long memoryMiB, String java, String nginx, String wrk) {

    static MachineInfo collect() throws IOException, InterruptedException {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst().orElse("unknown");
        long memKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:")).map(l -> Long.parseLong(l.replaceAll("\\D+", "")))
                .findFirst().orElse(0L);
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), model, kernel, memKiB / 1024,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                firstLine(List.of("nginx", "-v")), firstLine(List.of("wrk", "--version")));
    }

    private static String firstLine(List<String> command) throws IOException, InterruptedException {
        if (Tools.find(command.getFirst()).isEmpty()) {
            return "not installed";
        }
        List<String> resolved = new java.util.ArrayList<>(command);
        resolved.set(0, Tools.find(command.getFirst()).get().toString());
        try (ManagedProcess p = ManagedProcess.start(command.getFirst(), new ProcessBuilder(resolved))) {
            p.awaitExit(Duration.ofSeconds(10));
            p.awaitOutputClosed(Duration.ofSeconds(5));
            return p.output().stream().filter(l -> !l.isBlank()).findFirst().orElse("unknown").strip();
        }
    }
}
