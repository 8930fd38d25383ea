// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.yocto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.layerstore.datapath.mapping.PinStability;
import org.layerstore.datapath.mapping.Sysctl;

/**
 * Static checks of yocto/meta-layerstore, the ones bitbake and yocto-check-layer would make first: layer.conf fields,
 * recipe file names, the variables every recipe needs, and every local SRC_URI file present where bitbake looks.
 */
class MetaLayerstoreTest {

    static final Path REPO = Path.of(System.getProperty("layerstore.repo"));
    static final Path LAYER = REPO.resolve("yocto/meta-layerstore");

    /** PN_PV.bb: PN lower-case letters, digits, '+', '-', '.'; PV optional and starting with a digit. */
    private static final Pattern RECIPE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]*(_[0-9][A-Za-z0-9+.~-]*)?\\.bb");
    /** PN_PV.bbappend where PV may be the wildcard %. */
    private static final Pattern APPEND_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]*(_([0-9][A-Za-z0-9+.~-]*|%))?\\.bbappend");

    static List<Path> layerFiles(String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(LAYER)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void layerConfDeclaresTheCollectionAndBothReleases() throws IOException {
        BitbakeFile conf = BitbakeFile.read(LAYER.resolve("conf/layer.conf"));
        assertEquals(List.of("layerstore"), conf.words("BBFILE_COLLECTIONS"));
        assertEquals(List.of("^${LAYERDIR}/"), conf.values("BBFILE_PATTERN_layerstore"));
        assertTrue(conf.values("BBFILE_PRIORITY_layerstore").getFirst().matches("\\d+"));
        assertTrue(conf.defines("LAYERVERSION_layerstore"));
        List<String> compat = conf.words("LAYERSERIES_COMPAT_layerstore");
        assertTrue(compat.contains("wrynose") && compat.contains("scarthgap"), compat.toString());
        List<String> depends = conf.words("LAYERDEPENDS_layerstore");
        assertTrue(depends.containsAll(List.of("core", "openembedded-layer", "networking-layer", "meta-aws", "rauc")),
                depends.toString());
        assertTrue(conf.words("BBFILES").containsAll(List.of("${LAYERDIR}/recipes-*/*/*.bb", "${LAYERDIR}/recipes-*/*/*.bbappend")));
        assertTrue(conf.values("BBPATH").contains(":${LAYERDIR}"));
    }

    @Test
    void recipesLiveWhereBbfilesFindsThemUnderBitbakeFileNames() throws IOException {
        List<Path> recipes = new ArrayList<>(layerFiles(".bb"));
        recipes.addAll(layerFiles(".bbappend"));
        assertEquals(11, recipes.size(), recipes.toString());
        for (Path recipe : recipes) {
            Path relative = LAYER.relativize(recipe);
            assertEquals(3, relative.getNameCount(), "BBFILES matches recipes-*/*/FILE only: " + relative);
            assertTrue(relative.getName(0).toString().startsWith("recipes-"), relative.toString());
            String name = recipe.getFileName().toString();
            Pattern rule = name.endsWith(".bbappend") ? APPEND_NAME : RECIPE_NAME;
            assertTrue(rule.matcher(name).matches(), "not a bitbake recipe file name: " + name);
        }
    }

    @Test
    void everyRecipeStatesWhatItIsAndItsLicense() throws IOException {
        for (Path recipe : layerFiles(".bb")) {
            BitbakeFile bb = BitbakeFile.read(recipe);
            assertTrue(bb.defines("SUMMARY"), recipe + " has no SUMMARY");
            assertTrue(bb.defines("LICENSE"), recipe + " has no LICENSE");
            String license = bb.values("LICENSE").getLast();
            // bitbake's rule (insane.bbclass): a checksum for every recipe with sources, unless CLOSED; images have none.
            if (!license.equals("CLOSED") && !bb.inherits("core-image")) {
                assertTrue(bb.defines("LIC_FILES_CHKSUM"), recipe + " has LICENSE " + license + " but no LIC_FILES_CHKSUM");
            }
            if (!bb.inherits("core-image")) {
                assertTrue(bb.defines("SRC_URI"), recipe + " has no SRC_URI");
            }
        }
    }

    @Test
    void theApplianceRecipeIsApacheLicensedByTheRepositoryLicenseFile() throws IOException, NoSuchAlgorithmException {
        BitbakeFile bb = BitbakeFile.read(LAYER.resolve("recipes-layerstore/layerstore/layerstore_0.1.0.bb"));
        assertEquals(List.of("Apache-2.0"), bb.values("LICENSE"));
        // What do_populate_lic checks: the md5 of ${S}/LICENSE, the repository's LICENSE packed by make-dist-tarball.
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(REPO.resolve("LICENSE"))));
        assertEquals(List.of("file://LICENSE;md5=" + md5), bb.values("LIC_FILES_CHKSUM"),
                "LIC_FILES_CHKSUM must name the md5 of the repository's LICENSE");
    }

    @Test
    void everyLocalSrcUriFileIsWhereBitbakeLooks() throws IOException {
        List<Path> recipes = new ArrayList<>(layerFiles(".bb"));
        recipes.addAll(layerFiles(".bbappend"));
        int checked = 0;
        for (Path recipe : recipes) {
            BitbakeFile bb = BitbakeFile.read(recipe);
            List<String> uris = new ArrayList<>(bb.words("SRC_URI"));
            uris.addAll(bb.wordsOfOverrides("SRC_URI:append"));
            for (String uri : uris) {
                if (!uri.startsWith("file://")) {
                    continue;
                }
                String name = uri.substring("file://".length()).split(";")[0];
                if (name.equals("layerstore-dist.tar.gz")) {
                    continue; // built by yocto/scripts/make-dist-tarball: DistTarballTest checks it
                }
                Path dir = recipe.getParent();
                String pn = recipe.getFileName().toString().replaceAll("(_.*)?\\.bb(append)?$", "");
                boolean found = Stream.of(dir.resolve("files"), dir.resolve(pn), dir)
                        .anyMatch(d -> Files.isRegularFile(d.resolve(name)));
                assertTrue(found, recipe.getFileName() + ": SRC_URI file " + name + " is in none of files/, " + pn + "/");
                checked++;
            }
        }
        assertEquals(11, checked, "local SRC_URI files checked");
    }

    @Test
    void theApplianceRecipeInstallsTheSharedLayout() throws IOException {
        BitbakeFile bb = BitbakeFile.read(LAYER.resolve("recipes-layerstore/layerstore/layerstore_0.1.0.bb"));
        String recipe = String.join("\n", bb.lines());
        for (String installed : List.of(
                "${D}${datadir}/layerstore/lib/",
                "${D}${libdir}/layerstore/",
                "liblayerstore-hal.so",
                "${S}/LICENSE ${S}/NOTICE ${D}${datadir}/layerstore/",
                "${D}${bindir}/layerstore",
                "${D}${sysconfdir}/layerstore/",
                "${D}${systemd_system_unitdir}/",
                "${D}/srv/layerstore/files")) {
            assertTrue(recipe.contains(installed), "do_install lacks " + installed);
        }
        assertEquals(List.of("layerstore.service"), bb.words("SYSTEMD_SERVICE:${PN}"));
        assertTrue(bb.inherits("useradd") && bb.inherits("systemd"));
        assertTrue(bb.values("USERADD_PARAM:${PN}").getFirst().contains("--system"));
        assertTrue(bb.values("USERADD_PARAM:${PN}").getFirst().endsWith(" layerstore"));
        assertEquals(List.of("corretto-25-bin"), bb.words("RDEPENDS:${PN}"));
        assertTrue(recipe.contains("hal/src/main/c"), "the HAL library must be cross-built from its sources");
    }

    /**
     * The image keeps pinned pages in place: the recipe installs the sysctl.d file that sets
     * vm.compact_unevictable_allowed to 0, the file the frame-manager link's refusal names.
     */
    @Test
    void theImageKeepsPinnedPagesWhereTheHardwareReadsThem() throws IOException {
        String recipe = String.join("\n", BitbakeFile.read(LAYER.resolve("recipes-layerstore/layerstore/layerstore_0.1.0.bb"))
                .lines());
        assertTrue(recipe.contains("install -m 0644 ${S}/dist/sysctl.d/60-layerstore-dma.conf ${D}${sysconfdir}/sysctl.d/"),
                "do_install lacks the sysctl.d file");
        List<String> settings = Files.readAllLines(REPO.resolve("services/src/dist/sysctl.d/60-layerstore-dma.conf")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertTrue(settings.contains(PinStability.COMPACT_UNEVICTABLE + " = 0"), settings.toString());
        Path proc = Files.createDirectories(Files.createTempDirectory("sysctl").resolve("vm"));
        Files.writeString(proc.resolve("compact_unevictable_allowed"), "1\n");
        String refusal = PinStability.unstableReason(new Sysctl(proc.getParent())).orElseThrow();
        assertTrue(refusal.contains("/etc/sysctl.d/60-layerstore-dma.conf"), refusal);
    }

    @Test
    void theBrokerListensForMqttAndWebSockets() throws IOException {
        Path conf = LAYER.resolve("recipes-connectivity/mosquitto/files/layerstore-broker.conf");
        List<String> lines = Files.readAllLines(conf).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        int mqtt = lines.indexOf("listener 1883");
        int ws = lines.indexOf("listener 9001");
        assertTrue(mqtt >= 0 && ws >= 0, lines.toString());
        assertEquals("protocol mqtt", lines.get(mqtt + 1));
        assertEquals("protocol websockets", lines.get(ws + 1));
        BitbakeFile append = BitbakeFile.read(LAYER.resolve("recipes-connectivity/mosquitto/mosquitto_%.bbappend"));
        assertTrue(append.words("PACKAGECONFIG:append").contains("websockets"));
        assertTrue(String.join("\n", append.lines()).contains("include_dir"), "mosquitto.conf must include conf.d");
    }

    @Test
    void theImageCarriesTheApplianceBrokerAndSsh() throws IOException {
        BitbakeFile image = BitbakeFile.read(LAYER.resolve("recipes-core/images/layerstore-image.bb"));
        assertTrue(image.inherits("core-image"));
        List<String> installed = image.words("IMAGE_INSTALL");
        assertTrue(installed.containsAll(List.of("layerstore", "mosquitto")), installed.toString());
        assertTrue(image.words("IMAGE_FEATURES").contains("ssh-server-openssh"));
        assertFalse(installed.contains("dropbear"));
    }
}
