// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.layerstore.board.BoardDetection;
import org.layerstore.board.BoardDetector;
import org.layerstore.board.BoardException;
import org.layerstore.board.BoardLimits;
import org.layerstore.board.BoardProfile;
import org.layerstore.board.ProfileCatalog;
import org.layerstore.board.BufferPool;
import org.layerstore.board.FmanPort;
import org.layerstore.board.sensors.BoardSensors;
import org.layerstore.board.sensors.BlockDeviceReading;
import org.layerstore.board.sensors.NicReading;
import org.layerstore.board.sensors.SensorSnapshot;
import org.layerstore.board.sensors.StorageReading;
import org.layerstore.board.sensors.ThermalReading;
import org.layerstore.datapath.mapping.PinStability;
import org.layerstore.datapath.mapping.Sysctl;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.BoardSettings;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.config.ConfigLoader;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.platform.BackendChoice;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows which board the appliance detects and why, the profile's facts and limits, and the live sensors. */
@Command(name = "board", mixinStandardHelpOptions = true,
        description = "Show the detected board, why it was chosen, its profile and limits, and the live sensors.")
final class BoardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "ID", defaultValue = "${env:LAYERSTORE_BOARD:-auto}",
            description = "Board profile to use instead of detecting one (default: $LAYERSTORE_BOARD, else ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:LAYERSTORE_CONFIG}",
            description = "Configuration file: its share roots are the paths whose storage is shown.")
    Path config;

    @Option(names = "--path", paramLabel = "PATH",
            description = "Also show the storage under PATH (repeatable). Default when neither this nor shares: /.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--profiles-dir", paramLabel = "DIR", defaultValue = BoardSettings.DEFAULT_PROFILES_DIR,
            description = "Extra board profiles (*.yaml) that add to or replace the built-in ones (default: ${DEFAULT-VALUE}).")
    Path profilesDir;

    @Option(names = "--sysroot", paramLabel = "DIR", defaultValue = "/",
            description = "Read the device tree, /proc and /sys below DIR, e.g. a tree copied from a board (default: ${DEFAULT-VALUE}).")
    Path sysroot;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    /** What {@code --json} prints. */
    record BoardReport(BoardDetection detection, BoardLimits limits, FrameManagerReport frameManager,
            SensorSnapshot sensors) {
    }

    /**
     * The frame-manager backend the appliance would run here, and whether pinned pages keep their physical
     * addresses (what the offload port's frame-manager link needs on a hardware backend).
     *
     * @param backend the live backend ({@code none} when no backend is usable)
     * @param reason  why: the configuration, the profile and the backend's own reason
     * @param pinning {@code stable}, or why pinned pages may move
     */
    record FrameManagerReport(String backend, String reason, String pinning) {
    }

    @Override
    public Integer call() throws Exception {
        BoardDetection detection;
        try {
            detection = new BoardDetector(sysroot, ProfileCatalog.builtInPlus(profilesDir)).detect(profile);
        } catch (BoardException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        ApplianceConfig settings = config == null ? ApplianceConfig.defaults() : new ConfigLoader().load(config);
        SensorSnapshot sensors = new BoardSensors(sysroot, Clock.systemUTC()).snapshot(storagePaths(settings));
        BackendChoice backend = BackendChoice.choose(settings.frameManager(), detection.profile());
        String pinning = PinStability.unstableReason(new Sysctl(sysroot.resolve("proc/sys"))).orElse("stable");
        BoardReport report = new BoardReport(detection, detection.limits(),
                new FrameManagerReport(backend.liveName(), backend.reason(), pinning), sensors);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(report));
        } else {
            printText(out, report);
        }
        out.flush();
        return 0;
    }

    private List<Path> storagePaths(ApplianceConfig settings) {
        List<Path> all = new ArrayList<>();
        settings.shares().stream().map(ShareSettings::root).map(root -> root.toAbsolutePath().normalize())
                .forEach(all::add);
        paths.stream().map(p -> p.toAbsolutePath().normalize()).forEach(all::add);
        return all.isEmpty() ? List.of(Path.of("/")) : all;
    }

    private static void printText(PrintWriter out, BoardReport report) {
        BoardDetection detection = report.detection();
        BoardProfile board = detection.profile();
        out.printf("Board      %s (profile %s)%n", board.model(), board.id());
        out.printf("Why        %s%n", detection.reason());
        if (!detection.compatible().isEmpty()) {
            out.printf("Device tree %s%s%n", String.join(" ", detection.compatible()),
                    detection.model().isEmpty() ? "" : ", model \"" + detection.model() + "\"");
        }
        out.printf("CPU        %d processors%s%s%n", detection.cpu().processors(),
                detection.cpu().cpuParts().isEmpty() ? "" : ", CPU part " + String.join(" ", detection.cpu().cpuParts()),
                detection.cpu().modelName().isEmpty() ? "" : ", " + detection.cpu().modelName());
        detection.warnings().forEach(w -> out.printf("WARNING    %s%n", w));
        out.printf("SoC        %s%s, DPAA %s%n", board.soc().name(),
                board.soc().cores() > 0 ? ", " + board.soc().cores() + "x " + board.soc().core() : "", board.soc().dpaa());
        out.printf("HAL        %s%n", board.hal().id());
        out.printf("Frame manager %s live: %s%n", report.frameManager().backend(), report.frameManager().reason());
        out.printf("Pinning    %s%n", report.frameManager().pinning().equals("stable")
                ? "pinned pages stay in place (" + PinStability.COMPACT_UNEVICTABLE + " is 0, or no compaction)"
                : report.frameManager().pinning());
        if (!board.yoctoMachine().isEmpty()) {
            out.printf("Yocto      MACHINE=%s%n", board.yoctoMachine());
        }
        for (FmanPort port : board.fmanPorts()) {
            out.printf("FMan port  %-5s %-15s %6d Mbit/s  %s%n", port.name(), port.node(), port.speedMbps(), port.phyInterface());
        }
        printLimits(out, report.limits());
        printSensors(out, report.sensors());
    }

    private static void printLimits(PrintWriter out, BoardLimits limits) {
        out.printf("Limits     max frame %d B, %d S/G entries, TX headroom %d B, TX ring %d, %d-bit %s addresses%n",
                limits.maxFrameSize(), limits.maxSgEntries(), limits.txHeadroom(), limits.txRingDepth(),
                limits.busAddressBits(), limits.addressing().id());
        out.printf("Fragments  data start aligned to %d B, non-last lengths a multiple of %d B%s%n",
                limits.dataStartAlignment(), limits.fragmentLengthMultiple(),
                limits.erratumA050385() ? " (erratum A050385)" : "");
        for (BufferPool pool : limits.bufferPools()) {
            out.printf("Pool       %-14s %5d x %d B%n", pool.name(), pool.count(), pool.bufferSize());
        }
    }

    private static void printSensors(PrintWriter out, SensorSnapshot sensors) {
        out.printf("Sensors    at %s%n", sensors.takenAt());
        if (sensors.thermal().isEmpty()) {
            out.println("  thermal  none (no thermal zones in /sys/class/thermal)");
        }
        for (ThermalReading zone : sensors.thermal()) {
            out.printf("  thermal  %-22s %s%n", zone.type().isEmpty() ? zone.zone() : zone.type(),
                    zone.milliCelsius() == null ? "unreadable: " + zone.error()
                            : String.format(Locale.ROOT, "%.1f °C", zone.celsius()));
        }
        for (NicReading nic : sensors.network()) {
            out.printf("  net      %-12s %-8s %10s  rx %d B %d pkts (%d err, %d drop)  tx %d B %d pkts (%d err, %d drop)%n",
                    nic.name(), nic.operstate(), nic.speedMbps() == null ? "-" : nic.speedMbps() + " Mbit/s",
                    nic.counters().rxBytes(), nic.counters().rxPackets(), nic.counters().rxErrors(),
                    nic.counters().rxDropped(), nic.counters().txBytes(), nic.counters().txPackets(),
                    nic.counters().txErrors(), nic.counters().txDropped());
        }
        for (StorageReading storage : sensors.storage()) {
            BlockDeviceReading device = storage.device();
            if (device == null) {
                out.printf("  storage  %s: %s%n", storage.path(), storage.unavailable());
            } else {
                out.printf("  storage  %s: %s %s on %s, %d B, read %d B in %d I/Os, written %d B in %d I/Os, %d in flight%n",
                        storage.path(), device.device(), storage.fsType(), storage.mountPoint(), device.sizeBytes(),
                        device.bytesRead(), device.readsCompleted(), device.bytesWritten(), device.writesCompleted(),
                        device.inFlight());
            }
        }
    }
}
