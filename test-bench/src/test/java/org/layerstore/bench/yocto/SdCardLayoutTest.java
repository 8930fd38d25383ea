// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.yocto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The SD card's layout three ways, which must agree: the table in docs/board-bringup.md ("The card"), the wic
 * file the board image is made from (yocto/meta-layerstore/wic/layerstore-ls104x-sdcard.wks.in, offsets placed
 * as wic places them), and the QEMU test disk (test-bench/qemu/build-image), whose partitions sit at the card's
 * offsets.
 */
class SdCardLayoutTest {

    private static final Path DOC = MetaLayerstoreTest.REPO.resolve("docs/board-bringup.md");
    private static final Path WKS = MetaLayerstoreTest.LAYER.resolve("wic/layerstore-ls104x-sdcard.wks.in");
    private static final Path QEMU_IMAGE = MetaLayerstoreTest.REPO.resolve("test-bench/qemu/build-image");
    private static final long KIB = 1024, MIB = 1024 * KIB;

    /** meta-freescale's composite image offsets in KiB (conf/machine/include/qoriq-base.inc), which the wks names. */
    private static final Map<String, String> QORIQ_OFFSETS = Map.of(
            "${IMAGE_OFFSET_PBL}", "4", "${IMAGE_OFFSET_FIP}", "1024", "${IMAGE_OFFSET_FMAN_UCODE}", "9216");

    /** One area of the card: raw firmware (no file system, no size of its own) or a partition. */
    record Area(String name, long start, long size, String fstype, String label) {
        static final long NO_SIZE = -1;
    }

    /** The rows of the "The card" table after the MBR row: firmware areas, then the numbered partitions. */
    static List<Area> documented(List<String> doc) {
        int heading = doc.indexOf("### The card");
        assertTrue(heading >= 0, "docs/board-bringup.md has no '### The card' section");
        List<Area> areas = new ArrayList<>();
        for (String line : doc.subList(heading + 1, doc.size())) {
            if (!line.startsWith("|")) {
                if (!areas.isEmpty()) {
                    break;
                }
                continue;
            }
            String[] cells = line.split("\\|");
            String part = cells[1].strip();
            if (part.equals("part") || part.startsWith("---") || part.equals("MBR")) {
                continue;
            }
            areas.add(new Area(part, bytes(cells[2]), cells[3].strip().equals("-") ? Area.NO_SIZE : bytes(cells[3]),
                    cells[4].strip(), cells[5].strip()));
        }
        return areas;
    }

    /** "4 KiB", "1536 MiB", "512 B", "0" as bytes. */
    static long bytes(String cell) {
        Matcher m = Pattern.compile("(\\d+)(?: (B|KiB|MiB))?").matcher(cell.strip());
        assertTrue(m.matches(), "not a size: '" + cell.strip() + "'");
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> KIB;
            case "MiB" -> MIB;
            default -> 1;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    /**
     * The wks file's parts placed as wic places them: a raw part (--no-table) at its --align offset; a partition at
     * the first multiple of its --align (KiB) after everything before it, --fixed-size long.
     */
    static List<Area> placed(List<String> wks) {
        List<Area> areas = new ArrayList<>();
        long cursor = 0;
        for (String line : wks) {
            if (!line.startsWith("part ")) {
                continue;
            }
            Map<String, String> options = new LinkedHashMap<>();
            List<String> words = words(line.substring("part ".length()));
            String name = words.getFirst().startsWith("--") ? "" : words.getFirst();
            for (int i = name.isEmpty() ? 0 : 1; i < words.size(); i++) {
                String word = words.get(i);
                String[] pair = word.split("=", 2);
                boolean flag = pair.length == 1 && (i + 1 == words.size() || words.get(i + 1).startsWith("--"));
                options.put(pair[0], pair.length == 2 ? pair[1] : flag ? "" : words.get(++i));
            }
            long align = Long.parseLong(QORIQ_OFFSETS.getOrDefault(options.get("--align"), options.get("--align"))) * KIB;
            if (options.containsKey("--no-table")) {
                areas.add(new Area(name, align, Area.NO_SIZE, "raw", "-"));
                cursor = Math.max(cursor, align + 1);
                continue;
            }
            long start = (cursor + align - 1) / align * align;
            String size = options.get("--fixed-size");
            assertTrue(size != null && size.endsWith("M"), "every partition needs --fixed-size in MiB: " + line);
            long length = Long.parseLong(size.substring(0, size.length() - 1)) * MIB;
            areas.add(new Area(name, start, length, options.get("--fstype"), options.get("--label")));
            cursor = start + length;
        }
        return areas;
    }

    /** Space-separated words; double quotes group (wic's --sourceparams="..."). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("(?:[^\\s\"]|\"[^\"]*\")+").matcher(text);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /** Compares start, size, file system and label area by area; the names differ (a mount point in the wks). */
    static void assertSameLayout(List<Area> documented, List<Area> actual, String what) {
        assertEquals(documented.size(), actual.size(), what + ": number of areas, documented " + documented
                + ", found " + actual);
        for (int i = 0; i < documented.size(); i++) {
            Area doc = documented.get(i), found = actual.get(i);
            String where = what + ", area " + (i + 1) + " ('" + doc.name() + "' documented, '" + found.name() + "' found)";
            assertEquals(doc.start(), found.start(), where + ": start");
            if (doc.size() != Area.NO_SIZE || found.size() != Area.NO_SIZE) {
                assertEquals(doc.size(), found.size(), where + ": size");
            }
            if (!found.fstype().equals("raw") || !doc.fstype().equals("raw")) {
                assertEquals(doc.fstype(), found.fstype(), where + ": file system");
                assertEquals(doc.label(), found.label(), where + ": label");
            }
        }
    }

    /** The documented areas the wks file makes: all but the U-Boot environment, which U-Boot's saveenv writes. */
    static List<Area> madeByTheImage(List<Area> documented) {
        return documented.stream().filter(a -> !a.name().equals("U-Boot environment")).toList();
    }

    @Test
    void theWicFileMakesTheDocumentedCard() throws IOException {
        List<Area> documented = documented(Files.readAllLines(DOC));
        assertEquals(9, documented.size() + 1, "MBR, PBL, FIP, U-Boot environment, FMan microcode, four partitions");
        assertSameLayout(madeByTheImage(documented), placed(Files.readAllLines(WKS)), WKS.getFileName().toString());
        assertTrue(Files.readString(WKS).contains("bootloader --ptable msdos"),
                "the PBL at 4 KiB leaves no room for a GPT: the card has an MBR");
    }

    @Test
    void theFirmwareAreasDoNotOverlapTheUBootEnvironmentOrThePartitions() throws IOException {
        List<Area> documented = documented(Files.readAllLines(DOC));
        Area environment = documented.stream().filter(a -> a.name().equals("U-Boot environment")).findFirst().orElseThrow();
        Area microcode = documented.stream().filter(a -> a.name().equals("FMan microcode")).findFirst().orElseThrow();
        Area boot = documented.stream().filter(a -> a.name().startsWith("1 ")).findFirst().orElseThrow();
        // NXP's SD-boot U-Boot: CONFIG_ENV_OFFSET=0x500000, CONFIG_SYS_FMAN_FW_ADDR=0x900000 (ls1046ardb_tfa_defconfig).
        assertEquals(0x500000, environment.start());
        assertEquals(0x900000, microcode.start());
        assertTrue(environment.start() + environment.size() <= microcode.start());
        assertTrue(microcode.start() < boot.start());
    }

    @Test
    void theQemuDiskHasTheCardsPartitionsAtTheCardsOffsets() throws IOException {
        String script = Files.readString(QEMU_IMAGE);
        Matcher sizes = Pattern.compile("FIRMWARE_MIB=(\\d+) BOOT_MIB=(\\d+) SLOT_MIB=(\\d+) DATA_MIB=(\\d+)").matcher(script);
        assertTrue(sizes.find(), "build-image names its partition sizes on one line");
        long firmware = Long.parseLong(sizes.group(1)) * MIB, boot = Long.parseLong(sizes.group(2)) * MIB;
        long slot = Long.parseLong(sizes.group(3)) * MIB, data = Long.parseLong(sizes.group(4)) * MIB;
        List<Area> qemu = List.of(
                new Area("boot.vfat", firmware, boot, "vfat", "BOOT"),
                new Area("rootfs.ext4", firmware + boot, slot, "ext4", "rootfs-a"),
                new Area("slot B", firmware + boot + slot, slot, "ext4", "rootfs-b"),
                new Area("data.ext4", firmware + boot + 2 * slot, data, "ext4", "data"));
        List<Area> partitions = documented(Files.readAllLines(DOC)).stream().filter(a -> !a.fstype().equals("raw")).toList();
        assertSameLayout(partitions, qemu, "QEMU disk");
        assertTrue(script.contains("label: dos"), "the QEMU disk has an MBR, as the card");
        assertTrue(script.contains("mkfs.vfat -n BOOT"), "the QEMU boot partition is FAT, labelled BOOT");
    }

    @Test
    void aShiftedPartitionIsCaught() throws IOException {
        List<Area> documented = madeByTheImage(documented(Files.readAllLines(DOC)));
        List<String> wks = Files.readAllLines(WKS).stream()
                .map(l -> l.contains("--label rootfs-a") ? l.replace("--fixed-size 1536M", "--fixed-size 1500M") : l)
                .toList();
        AssertionError error = assertThrows(AssertionError.class, () -> assertSameLayout(documented, placed(wks), "shifted"));
        assertTrue(error.getMessage().contains("area 5") && error.getMessage().contains("size"), error.getMessage());
    }
}
