// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.yocto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.bench.ExternalCommand;
import org.layerstore.board.FmanPort;
import org.layerstore.board.ProfileCatalog;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.services.config.ConfigLoader;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The ls1046ardb image really contains the usdpaa backend (issue 15, item 5), checked without a bitbake build: the
 * linux-qoriq bbappend and its config fragment, our device tree and the one name its dtb has in the kernel recipe
 * and the boot script, which ports it gives to user space against the board profile and the installed
 * configuration, the FMan microcode on the card, the device permissions, and the HAL library the appliance recipe
 * cross-builds.
 */
class UsdpaaImageTest {

    private static final Path LAYER = MetaLayerstoreTest.LAYER;
    private static final Path KERNEL_APPEND = LAYER.resolve("recipes-kernel/linux/linux-qoriq_%.bbappend");
    private static final Path KERNEL_FILES = LAYER.resolve("recipes-kernel/linux/files");
    private static final Path APPLIANCE = LAYER.resolve("recipes-layerstore/layerstore/layerstore_0.1.0.bb");
    private static final Path BOOT = LAYER.resolve("recipes-bsp/layerstore-boot/layerstore-boot.bb");
    private static final Path IMAGE = LAYER.resolve("recipes-core/images/layerstore-image.bb");
    private static final String MACHINE = "ls1046ardb";

    /**
     * The MACs linux-qoriq's fsl-ls1046a-rdb-usdpaa.dts turns into "fsl,dpa-ethernet-init" (its ethernet@N nodes
     * under fsl,dpaa, N the cell-index): all six the RDB wires.
     */
    private static final List<Integer> NXP_USDPAA_PORTS = List.of(2, 3, 4, 5, 8, 9);

    /** The options the usdpaa backend depends on (drivers/staging/fsl_qbman, sdk_fman, sdk_dpaa Kconfig). */
    private static final List<String> USDPAA_OPTIONS = List.of("CONFIG_STAGING", "CONFIG_FSL_SDK_DPA",
            "CONFIG_FSL_SDK_BMAN", "CONFIG_FSL_SDK_QMAN", "CONFIG_FSL_BMAN_CONFIG", "CONFIG_FSL_QMAN_CONFIG",
            "CONFIG_FSL_USDPAA", "CONFIG_FSL_SDK_FMAN", "CONFIG_FSL_SDK_DPAA_ETH", "CONFIG_FSL_DPAA_ADVANCED_DRIVERS",
            "CONFIG_FSL_DPAA_OFFLINE_PORTS");
    /** The mainline DPAA drivers, which claim the same hardware (FSL_SDK_DPAA_ETH depends on !FSL_DPAA_ETH). */
    private static final List<String> MAINLINE_DPAA = List.of("CONFIG_FSL_DPAA", "CONFIG_FSL_FMAN", "CONFIG_FSL_DPAA_ETH");

    private static final Pattern CONFIG_SET = Pattern.compile("(CONFIG_[A-Z0-9_]+)=(.+)");
    private static final Pattern CONFIG_UNSET = Pattern.compile("# (CONFIG_[A-Z0-9_]+) is not set");

    @TempDir
    Path dir;

    /** A kernel config fragment's settings: "y", "m", a value, or "n" for "is not set"; each option once. */
    static Map<String, String> fragment(List<String> lines) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            Matcher set = CONFIG_SET.matcher(line);
            Matcher unset = CONFIG_UNSET.matcher(line);
            String option;
            String value;
            if (set.matches()) {
                option = set.group(1);
                value = set.group(2);
            } else if (unset.matches()) {
                option = unset.group(1);
                value = "n";
            } else {
                assertTrue(line.isEmpty() || line.startsWith("#") && !line.matches("#\\s*CONFIG_.*"),
                        "neither a setting nor a comment: '" + line + "'");
                continue;
            }
            assertTrue(settings.put(option, value) == null, option + " is set twice");
        }
        return settings;
    }

    /** The cell-indexes of the ethernet@N nodes the device tree gives back to the kernel inside {@code &fsldpaa}. */
    static List<Integer> kernelPorts(String dts) {
        int block = dts.indexOf("&fsldpaa {");
        assertTrue(block >= 0, "the device tree changes no node of /soc/fsl,dpaa (&fsldpaa)");
        int end = dts.indexOf("\n};", block);
        String body = dts.substring(block, end);
        List<Integer> ports = new ArrayList<>();
        Matcher node = Pattern.compile("ethernet@(\\d+) \\{([^}]*)}").matcher(body);
        while (node.find()) {
            String properties = node.group(2);
            if (properties.contains("compatible = \"fsl,dpa-ethernet\";")) {
                for (String property : List.of("fsl,bman-buffer-pools", "fsl,qman-frame-queues-rx", "fsl,qman-frame-queues-tx")) {
                    assertTrue(properties.contains("/delete-property/ " + property + ";"),
                            "ethernet@" + node.group(1) + " goes to the kernel but keeps user space's " + property);
                }
                ports.add(Integer.parseInt(node.group(1)));
            }
        }
        return ports;
    }

    /** What the recipe's do_install appends to the installed layerstore.yaml for {@code ports} (its printf line). */
    static String portsStanza(String recipe, String ports) {
        Matcher printf = Pattern.compile("printf '([^']*)' \"\\$\\{LAYERSTORE_FMAN_PORTS}\" >> "
                + "\\$\\{D}\\$\\{sysconfdir}/layerstore/layerstore\\.yaml").matcher(recipe);
        assertTrue(printf.find(), "do_install does not append frameManager.ports to the installed layerstore.yaml");
        return printf.group(1).replace("\\n", "\n").replace("%s", ports);
    }

    @Test
    void theKernelAppendBuildsLinuxQoriqWithTheUsdpaaPieces() throws IOException {
        BitbakeFile append = BitbakeFile.read(KERNEL_APPEND);
        List<String> uris = append.words("SRC_URI:append:" + MACHINE);
        assertTrue(uris.contains("file://layerstore-usdpaa.cfg"), uris.toString());
        for (String uri : uris) {
            String name = uri.substring("file://".length());
            assertTrue(Files.isRegularFile(KERNEL_FILES.resolve(name)), "SRC_URI names " + name + ", which files/ lacks");
        }
        // Both releases' linux-qoriq.inc merge the fragment after lsdk.config, by path.
        for (String list : List.of("EXTRA_KBUILD_DEFCONFIG:append:" + MACHINE, "DELTA_KERNEL_DEFCONFIG:append:" + MACHINE)) {
            assertEquals(List.of("${LAYERSTORE_KERNEL_FILES}/layerstore-usdpaa.cfg"), append.words(list), list);
        }
        assertEquals(List.of("${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}"), append.values("LAYERSTORE_KERNEL_FILES"));

        Map<String, String> settings = fragment(Files.readAllLines(KERNEL_FILES.resolve("layerstore-usdpaa.cfg")));
        for (String option : USDPAA_OPTIONS) {
            assertEquals("y", settings.get(option), option);
        }
        for (String option : MAINLINE_DPAA) {
            assertEquals("n", settings.get(option), option + " must be off");
        }
        assertEquals(new TreeSet<>(settings.keySet()),
                new TreeSet<>(Stream.concat(USDPAA_OPTIONS.stream(), MAINLINE_DPAA.stream()).toList()),
                "the fragment sets what the backend needs, nothing else");
    }

    @Test
    void aFragmentThatSetsAnOptionTwiceOrHasStrayTextIsRefused() {
        AssertionError twice = assertThrows(AssertionError.class,
                () -> fragment(List.of("CONFIG_FSL_USDPAA=y", "# CONFIG_FSL_USDPAA is not set")));
        assertTrue(twice.getMessage().contains("CONFIG_FSL_USDPAA is set twice"), twice.getMessage());
        AssertionError stray = assertThrows(AssertionError.class,
                () -> fragment(List.of("FSL_USDPAA=y")));
        assertTrue(stray.getMessage().contains("neither a setting nor a comment"), stray.getMessage());
    }

    /** One dtb name: the dts the bbappend ships, KERNEL_DEVICETREE, the boot script's slot_fdtfile, the slot's /boot. */
    @Test
    void theDeviceTreeHasOneNameFromKernelToBootScript() throws IOException {
        BitbakeFile append = BitbakeFile.read(KERNEL_APPEND);
        List<String> dtbs = append.words("KERNEL_DEVICETREE:append:" + MACHINE);
        assertEquals(1, dtbs.size(), dtbs.toString());
        Matcher dtb = Pattern.compile("freescale/([a-z0-9-]+)\\.dtb").matcher(dtbs.getFirst());
        assertTrue(dtb.matches(), dtbs.getFirst());
        String base = dtb.group(1);

        assertTrue(append.words("SRC_URI:append:" + MACHINE).contains("file://" + base + ".dts"), "the bbappend ships " + base + ".dts");
        assertTrue(Files.isRegularFile(KERNEL_FILES.resolve(base + ".dts")));
        String recipe = String.join("\n", append.lines());
        assertTrue(recipe.contains("install -m 0644 ${LAYERSTORE_KERNEL_FILES}/" + base + ".dts ${S}/arch/arm64/boot/dts/freescale/"),
                "the dts must sit where KERNEL_DEVICETREE's freescale/" + base + ".dtb is built from");

        assertEquals(List.of(base + ".dtb"), BitbakeFile.read(BOOT).values("LAYERSTORE_FDTFILE:" + MACHINE),
                "layerstore-boot's slot_fdtfile for " + MACHINE);
        assertTrue(Files.readString(LAYER.resolve("recipes-bsp/layerstore-boot/files/boot.cmd"))
                .contains("/boot/${slot_fdtfile}"), "boot.cmd loads the tree from the slot's /boot");
        BitbakeFile image = BitbakeFile.read(IMAGE);
        assertTrue(image.words("IMAGE_INSTALL:append:qoriq-arm64").contains("kernel-devicetree"),
                "the slot's /boot gets the kernel's dtbs");
        assertTrue(image.words("IMAGE_BOOT_FILES:qoriq-arm64").stream().noneMatch(f -> f.contains(".dtb")),
                "the boot partition holds no tree: each slot carries its own, so an update brings kernel and tree together");
    }

    /**
     * The device tree gives the appliance the board profile's MACs but one, the management port, which the kernel
     * keeps; the installed configuration narrows frameManager.ports to exactly those.
     */
    @Test
    void theApplianceGetsEveryPortButTheManagementPort() throws IOException {
        String dts = Files.readString(KERNEL_FILES.resolve("fsl-ls1046a-rdb-layerstore.dts"));
        assertTrue(dts.contains("#include \"fsl-ls1046a-rdb-usdpaa.dts\""), "built on NXP's USDPAA variant");
        List<Integer> kernel = kernelPorts(dts);
        assertEquals(List.of(2), kernel, "MAC3 (cell-index 2), U-Boot's prime port, is the management port");

        BoardDatapath board = BoardDatapath.builtIn(MACHINE);
        List<Integer> profile = board.frameManager().ports();
        assertEquals(NXP_USDPAA_PORTS, profile, "the profile's ports are the ones the USDPAA variant hands out");
        FmanPort management = ProfileCatalog.builtIn().require(MACHINE).fmanPorts().stream()
                .filter(p -> p.name().equals("MAC" + (kernel.getFirst() + 1))).findFirst().orElseThrow();
        assertEquals("ethernet@e4000", management.node());
        assertEquals("rgmii-id", management.phyInterface(), "an RJ45 port");
        List<Integer> appliance = profile.stream().filter(p -> !kernel.contains(p)).toList();
        assertTrue(Pattern.compile("ethernet@9 \\{\\s*fsl,fman-mac = <&enet7>;").matcher(dts).find(),
                "MAC10's node names its MAC whatever NXP's qoriq-dpaa-eth.dtsi declares");

        BitbakeFile recipe = BitbakeFile.read(APPLIANCE);
        String ports = recipe.values("LAYERSTORE_FMAN_PORTS:" + MACHINE).getFirst();
        assertEquals(appliance, List.of(ports.split(",\\s*")).stream().map(Integer::parseInt).toList());
        assertEquals(List.of(""), recipe.values("LAYERSTORE_FMAN_PORTS"), "other machines keep all their ports");
        assertEquals(List.of("${MACHINE_ARCH}"), recipe.values("PACKAGE_ARCH"), "the configuration is per machine");

        // The installed configuration as do_install writes it, read by the appliance's own loader and narrowed
        // against the board as the appliance does at start.
        Path dist = MetaLayerstoreTest.REPO.resolve("services/src/dist/etc/layerstore/layerstore.yaml");
        ObjectMapper yaml = JsonMapper.builder(new YAMLFactory()).build();
        assertFalse(yaml.readTree(dist.toFile()).has("frameManager"), "the appended stanza would be a second frameManager key");
        Path installed = dir.resolve("layerstore.yaml");
        Files.writeString(installed, Files.readString(dist) + portsStanza(String.join("\n", recipe.lines()), ports));
        List<Integer> narrowed = new ConfigLoader().load(installed).frameManager()
                .applyTo(MACHINE, board.frameManager()).ports();
        assertEquals(appliance, narrowed);
    }

    @Test
    void theUsdpaaDmaReservationFitsADmaMap() throws IOException {
        String dts = Files.readString(KERNEL_FILES.resolve("fsl-ls1046a-rdb-layerstore.dts"));
        Matcher reservation = Pattern.compile("&usdpaa_mem \\{\\s*size = <0 (0x[0-9a-f]+)>;\\s*alignment = <0 (0x[0-9a-f]+)>;")
                .matcher(dts);
        assertTrue(reservation.find(), "the tree sizes NXP's one-page usdpaa_mem reservation");
        long size = Long.decode(reservation.group(1));
        long pages = size / 4096;
        // USDPAA_IOCTL_DMA_MAP lengths are a power-of-4 number of pages (fsl_usdpaa.c); the HAL's probe maps 64 MiB.
        assertTrue(size % 4096 == 0 && Long.bitCount(pages) == 1 && Long.numberOfTrailingZeros(pages) % 2 == 0, "size " + size);
        assertTrue(size >= 64L << 20, "size " + size);
        assertEquals(size, Long.decode(reservation.group(2)), "aligned to its size");
    }

    /** The FMan microcode lands at 9 MiB on the card, where NXP's SD-boot U-Boot loads it, from fm-ucode's deploy. */
    @Test
    void theMicrocodeIsOnTheCardWhereUBootLoadsIt() throws IOException {
        List<String> wks = Files.readAllLines(LAYER.resolve("wic/layerstore-ls104x-sdcard.wks.in"));
        String part = wks.stream().filter(l -> l.startsWith("part FMAN-UCODE ")).findFirst().orElseThrow();
        assertTrue(part.contains("--source rawcopy --sourceparams=\"file=${FMAN_UCODE}\""), part);
        assertTrue(part.contains("--align ${IMAGE_OFFSET_FMAN_UCODE}"), part); // 9216 KiB: SdCardLayoutTest
        List<String> depends = BitbakeFile.read(IMAGE).values("do_image_wic[depends]");
        assertTrue(depends.contains("${@bb.utils.contains('MACHINEOVERRIDES', 'fsl-lsch2', 'fm-ucode:do_deploy', '', d)}"),
                depends.toString());
        assertTrue(BitbakeFile.read(IMAGE).words("WKS_FILE:qoriq-arm64").contains("layerstore-ls104x-sdcard.wks.in"));
    }

    @Test
    void theApplianceUserMayOpenTheUsdpaaDevices() throws IOException {
        BitbakeFile recipe = BitbakeFile.read(APPLIANCE);
        assertTrue(recipe.words("SRC_URI").contains("file://70-layerstore-usdpaa.rules"));
        String rules = Files.readAllLines(LAYER.resolve("recipes-layerstore/layerstore/files/70-layerstore-usdpaa.rules")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).reduce("", String::concat);
        assertEquals("KERNEL==\"fsl-usdpaa|fsl-usdpaa-irq\", GROUP=\"layerstore\", MODE=\"0660\"", rules);
        assertTrue(recipe.values("USERADD_PARAM:${PN}").getFirst().contains("--user-group"), "the group layerstore exists");
        assertTrue(String.join("\n", recipe.lines()).contains(
                "install -m 0644 ${UNPACKDIR_OR_WORKDIR}/70-layerstore-usdpaa.rules ${D}${nonarch_base_libdir}/udev/rules.d/"));
        assertTrue(recipe.words("FILES:${PN}").contains("${nonarch_base_libdir}/udev/rules.d"));
    }

    @Test
    void theKasTargetPinsNxpsKernel() throws IOException {
        ObjectMapper yaml = JsonMapper.builder(new YAMLFactory()).build();
        String conf = yaml.readTree(MetaLayerstoreTest.REPO.resolve("yocto/kas/" + MACHINE + ".yml").toFile())
                .at("/local_conf_header/" + MACHINE).asText();
        assertTrue(conf.contains("QORIQ_DEFAULT_BSP = \"nxp\""), conf);
        assertTrue(conf.contains("PREFERRED_PROVIDER_virtual/kernel = \"linux-qoriq\""), conf);
    }

    /**
     * The appliance recipe's do_compile, run as bitbake would with Debian's arm64 cross compiler as the toolchain's
     * CC, gives the library do_install takes, an AArch64 object that exports the usdpaa backend's probe.
     */
    @Test
    void theRecipesCrossBuildContainsTheUsdpaaBackend() throws Exception {
        String recipe = String.join("\n", BitbakeFile.read(APPLIANCE).lines());
        Matcher compile = Pattern.compile("oe_runmake (-C \\$\\{S}/hal/src/main/c [^\\n]* all)").matcher(recipe);
        assertTrue(compile.find(), "do_compile runs the HAL Makefile");
        Matcher install = Pattern.compile("install -m 0755 (\\$\\{B}/\\S+/liblayerstore-hal\\.so) ").matcher(recipe);
        assertTrue(install.find(), "do_install takes the library from ${B}");
        Map<String, String> bitbake = Map.of("${S}", MetaLayerstoreTest.REPO.toString(), "${B}", dir.toString(),
                "${TARGET_ARCH}", "aarch64", "${CC} ${DEBUG_PREFIX_MAP} ${LDFLAGS}", "aarch64-linux-gnu-gcc");
        String command = compile.group(1);
        String library = install.group(1);
        for (Map.Entry<String, String> variable : bitbake.entrySet()) {
            command = command.replace(variable.getKey(), variable.getValue());
            library = library.replace(variable.getKey(), variable.getValue());
        }
        assertFalse(command.contains("${"), command);
        ExternalCommand.run(600, "bash", "-c", "make " + command).requireSuccess("the recipe's do_compile");

        String header = ExternalCommand.run(60, "readelf", "-h", library).requireSuccess("readelf -h").output();
        assertTrue(header.matches("(?s).*Machine:\\s+AArch64.*"), header);
        String symbols = ExternalCommand.run(60, "readelf", "--dyn-syms", "--wide", library).requireSuccess("readelf").output();
        assertTrue(Pattern.compile("\\bFUNC\\s+GLOBAL\\s+DEFAULT\\s+\\d+\\s+lsh_usdpaa_probe$", Pattern.MULTILINE)
                .matcher(symbols).find(), "the arm64 library does not export lsh_usdpaa_probe");
    }
}
