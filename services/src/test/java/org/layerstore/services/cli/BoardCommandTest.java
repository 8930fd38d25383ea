// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.hal.fm.FrameManagerBackends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import picocli.CommandLine;

class BoardCommandTest {

    @TempDir
    Path sysroot;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A minimal LS1043A-RDB tree: device tree, cpuinfo, one thermal zone, one NIC, one mounted disk. */
    @BeforeEach
    void ls1043aTree() throws IOException {
        write("proc/device-tree/compatible", "fsl,ls1043a-rdb\0fsl,ls1043a\0");
        write("proc/cpuinfo", "processor\t: 0\nCPU part\t: 0xd03\n\nprocessor\t: 1\nCPU part\t: 0xd03\n\n"
                + "processor\t: 2\nCPU part\t: 0xd03\n\nprocessor\t: 3\nCPU part\t: 0xd03\n");
        write("sys/class/thermal/thermal_zone0/type", "core-cluster-thermal\n");
        write("sys/class/thermal/thermal_zone0/temp", "52500\n");
        write("sys/class/net/eth0/operstate", "up\n");
        write("sys/class/net/eth0/speed", "1000\n");
        write("sys/class/net/eth0/statistics/tx_bytes", "4096\n");
        write("proc/self/mountinfo", "21 1 179:2 / / rw - ext4 /dev/mmcblk0p2 rw\n");
        write("sys/dev/block/179:2/size", "2048\n");
        write("sys/dev/block/179:2/stat", "1 0 8 0 2 0 16 0 0 3 3 0 0 0 0\n");
        write("sys/dev/block/179:2/uevent", "DEVNAME=mmcblk0p2\n");
    }

    private void write(String relative, String text) throws IOException {
        Path file = sysroot.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private int run(String... args) {
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void jsonCarriesTheDetectionTheLimitsAndTheSensors() throws IOException {
        assertEquals(0, run("board", "--sysroot", sysroot.toString(), "--path", "/srv/layerstore", "--json",
                "--profile", "auto", "--profiles-dir", sysroot.resolve("none").toString()), err.toString());
        JsonNode report = JsonMapper.builder().build().readTree(out.toString());
        assertEquals("ls1043ardb", report.at("/detection/profile/id").asText());
        assertTrue(report.at("/detection/reason").asText().contains("fsl,ls1043a-rdb"));
        assertEquals("A050385", report.at("/detection/profile/datapath/errata/0").asText());
        assertEquals(256, report.at("/limits/dataStartAlignment").asInt());
        assertEquals(256, report.at("/limits/fragmentLengthMultiple").asInt());
        assertEquals("usdpaa", report.at("/detection/profile/hal").asText());
        assertEquals(52500, report.at("/sensors/thermal/0/milliCelsius").asLong());
        assertEquals(4096, report.at("/sensors/network/0/counters/txBytes").asLong());
        assertEquals("mmcblk0p2", report.at("/sensors/storage/0/device/device").asText());
        assertEquals(2048 * 512, report.at("/sensors/storage/0/device/sizeBytes").asLong());
        assertTrue(report.at("/sensors/takenAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), report.at("/sensors/takenAt").asText());
    }

    @Test
    void textSaysWhichBoardWhyAndWhatTheErratumDoes() {
        assertEquals(0, run("board", "--sysroot", sysroot.toString(), "--profiles-dir", sysroot.resolve("none").toString()));
        String text = out.toString();
        assertTrue(text.startsWith("Board      LS1043A RDB Board (profile ls1043ardb)"), text);
        assertTrue(text.contains("Why        device-tree compatible \"fsl,ls1043a-rdb\""), text);
        assertTrue(text.contains("non-last lengths a multiple of 256 B (erratum A050385)"), text);
        assertTrue(text.contains("core-cluster-thermal   52.5 °C"), text);
        assertTrue(text.contains("storage  /: mmcblk0p2 ext4 on /"), text);
    }

    /**
     * Which frame-manager backend is live here and why, and whether pinned pages keep their physical addresses,
     * read from the tree's proc/sys: at 1 why the frame-manager link would refuse physical addresses, at 0 stable.
     */
    @Test
    void theLiveBackendAndWhetherPinnedPagesStayInPlace() throws IOException {
        write("proc/sys/vm/compact_unevictable_allowed", "1\n");
        assertEquals(0, run("board", "--sysroot", sysroot.toString(), "--json",
                "--profiles-dir", sysroot.resolve("none").toString()), err.toString());
        JsonNode report = JsonMapper.builder().build().readTree(out.toString());
        assertEquals("emulated", report.at("/frameManager/backend").asText());
        assertTrue(report.at("/frameManager/reason").asText().startsWith("frameManager.backend auto, board profile "
                + "ls1043ardb names usdpaa: auto: usdpaa is not usable (" + FrameManagerBackends.choose("usdpaa").reason()
                + "); "), report.at("/frameManager/reason").asText());
        assertTrue(report.at("/frameManager/pinning").asText().startsWith("vm.compact_unevictable_allowed is 1: "),
                report.at("/frameManager/pinning").asText());

        write("proc/sys/vm/compact_unevictable_allowed", "0\n");
        out.getBuffer().setLength(0);
        assertEquals(0, run("board", "--sysroot", sysroot.toString(), "--profiles-dir", sysroot.resolve("none").toString()));
        String text = out.toString();
        assertTrue(text.contains("Frame manager emulated live: frameManager.backend auto, board profile ls1043ardb"), text);
        assertTrue(text.contains("Pinning    pinned pages stay in place (vm.compact_unevictable_allowed is 0"), text);
    }

    @Test
    void anUnknownProfileIsAConfigurationErrorListingTheKnownOnes() {
        assertEquals(ErrorReporter.CONFIG_ERROR, run("board", "--sysroot", sysroot.toString(), "--profile", "ls2088ardb",
                "--profiles-dir", sysroot.resolve("none").toString()));
        assertTrue(err.toString().startsWith("board: unknown board profile 'ls2088ardb'; known: ["), err.toString());
    }

    @Test
    void theShareRootsOfTheConfigurationAreTheStorageShown() throws IOException {
        Path config = sysroot.resolve("layerstore.yaml");
        Files.writeString(config, "shares:\n  - name: films\n    root: /srv/layerstore/films\n");
        assertEquals(0, run("board", "--sysroot", sysroot.toString(), "--config", config.toString(), "--json",
                "--profiles-dir", sysroot.resolve("none").toString()));
        assertTrue(out.toString().contains("\"path\" : \"/srv/layerstore/films\""), out.toString());
    }

    @Test
    void theLiveSystemAnswersToo() throws IOException {
        assertEquals(0, run("board", "--json"), err.toString());
        JsonNode report = JsonMapper.builder().build().readTree(out.toString());
        assertTrue(report.at("/detection/profile/id").isTextual());
        assertTrue(report.at("/sensors/network").size() > 0);
    }
}
