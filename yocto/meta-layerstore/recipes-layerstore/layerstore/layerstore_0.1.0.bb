# SPDX-License-Identifier: Apache-2.0
SUMMARY = "Layerstore zero-copy storage appliance"
DESCRIPTION = "Shares folders over HTTP/WebDAV with as few CPU copies as the DPAA hardware allows and \
reports its health over MQTT. Installs the runtime jars, the launcher, the configuration, the systemd \
unit and the HAL's native library, cross-built here from its C sources."
SECTION = "net"

# The project's own code is Apache-2.0: the repository's LICENSE, which make-dist-tarball packs at the
# top of the tarball (${S}/LICENSE), so bitbake's do_populate_lic checks this md5 against that file.
# The bundled jars keep their own licenses, each named in NOTICE (generated from the Maven
# dependencies, checked by the build): all are Apache-2.0 or compatible with it.
LICENSE = "Apache-2.0"
LIC_FILES_CHKSUM = "file://LICENSE;md5=3b83ef96387f14655fc854ddc3c6bd57"

# Maven needs the network, which bitbake tasks do not have: the jars come prebuilt from the
# project's Maven build, packed with the installed-system files and the HAL's C sources by
# yocto/scripts/make-dist-tarball into ${LAYERSTORE_DIST_DIR}/layerstore-dist.tar.gz.
FILESEXTRAPATHS:prepend := "${LAYERSTORE_DIST_DIR}:"
SRC_URI = "file://layerstore-dist.tar.gz file://70-layerstore-usdpaa.rules"

# wrynose unpacks into UNPACKDIR, scarthgap (which has no UNPACKDIR) into WORKDIR.
UNPACKDIR_OR_WORKDIR = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}"
S = "${UNPACKDIR_OR_WORKDIR}/layerstore-dist"

# The FMan ports (cell-index) the board's device tree gives to user space, which the installed
# configuration narrows frameManager.ports to; empty: all the profile's ports (no port is the kernel's).
# On the LS1046A-RDB: all but MAC3 (cell-index 2), the management port fsl-ls1046a-rdb-layerstore.dts
# leaves to the kernel.
LAYERSTORE_FMAN_PORTS ?= ""
LAYERSTORE_FMAN_PORTS:ls1046ardb ?= "3, 4, 5, 8, 9"

# The appliance targets arm64 Layerscape boards and qemuarm64; the HAL Makefile names its output
# directory after the target architecture.
COMPATIBLE_HOST = "aarch64.*-linux"

inherit systemd useradd

# The Java 25 runtime: Amazon Corretto 25 from meta-aws (see docs/yocto.md for why this one).
RDEPENDS:${PN} = "corretto-25-bin"

do_configure[noexec] = "1"

# The HAL's native library, cross-built with the Yocto toolchain by the project's own Makefile from
# every C source of the HAL, the usdpaa backend's open path (usdpaa.c) among them:
# HOST_ARCH names the output directory (linux-aarch64) and switches its host-side cross build off;
# the toolchain's CC (with --sysroot), the debug prefix map and LDFLAGS ride in CC because the
# Makefile keeps its own strict CFLAGS (C11, -Wall -Wextra -Werror) and links in the same step.
do_compile() {
    oe_runmake -C ${S}/hal/src/main/c OUT=${B}/hal HOST_ARCH=${TARGET_ARCH} \
        CC="${CC} ${DEBUG_PREFIX_MAP} ${LDFLAGS}" all
}

# The installed layout shared with the QEMU test bench (see /work/brief.md "The installed layout").
do_install() {
    install -d ${D}${datadir}/layerstore/lib
    install -m 0644 ${S}/lib/*.jar ${D}${datadir}/layerstore/lib/
    # Apache-2.0 section 4: a redistribution carries the license and the NOTICE file.
    install -m 0644 ${S}/LICENSE ${S}/NOTICE ${D}${datadir}/layerstore/

    install -d ${D}${libdir}/layerstore
    install -m 0755 ${B}/hal/classes/native/linux-${TARGET_ARCH}/liblayerstore-hal.so ${D}${libdir}/layerstore/

    install -d ${D}${bindir}
    install -m 0755 ${S}/dist/bin/layerstore ${D}${bindir}/layerstore

    install -d ${D}${sysconfdir}/layerstore
    install -m 0644 ${S}/dist/etc/layerstore/layerstore.yaml ${D}${sysconfdir}/layerstore/

    install -d ${D}${systemd_system_unitdir}
    install -m 0644 ${S}/dist/systemd/layerstore.service ${D}${systemd_system_unitdir}/

    # Pinned pages must keep their physical addresses (vm.compact_unevictable_allowed = 0): applied by
    # systemd-sysctl at boot, before the appliance starts.
    install -d ${D}${sysconfdir}/sysctl.d
    install -m 0644 ${S}/dist/sysctl.d/60-layerstore-dma.conf ${D}${sysconfdir}/sysctl.d/

    # Where the board gives FMan ports to user space, the appliance transmits on those only: the others
    # are the kernel's (the management port).
    if [ -n "${LAYERSTORE_FMAN_PORTS}" ]; then
        printf 'frameManager:\n  ports: [%s]\n' "${LAYERSTORE_FMAN_PORTS}" >> ${D}${sysconfdir}/layerstore/layerstore.yaml
    fi

    # The usdpaa backend opens /dev/fsl-usdpaa and /dev/fsl-usdpaa-irq as user layerstore.
    install -d ${D}${nonarch_base_libdir}/udev/rules.d
    install -m 0644 ${UNPACKDIR_OR_WORKDIR}/70-layerstore-usdpaa.rules ${D}${nonarch_base_libdir}/udev/rules.d/

    # The configured share; the service (user layerstore) writes uploads into it.
    install -d -m 0750 -o layerstore -g layerstore ${D}/srv/layerstore/files
}

USERADD_PACKAGES = "${PN}"
# A system user and group of its own, no login, home at its state directory (created by the unit's
# StateDirectory=). Its capabilities come only from the unit's AmbientCapabilities.
USERADD_PARAM:${PN} = "--system --user-group --home-dir /var/lib/layerstore --no-create-home \
                       --shell /sbin/nologin layerstore"

SYSTEMD_SERVICE:${PN} = "layerstore.service"
SYSTEMD_AUTO_ENABLE:${PN} = "enable"

FILES:${PN} += "${datadir}/layerstore ${libdir}/layerstore /srv/layerstore ${nonarch_base_libdir}/udev/rules.d"
CONFFILES:${PN} = "${sysconfdir}/layerstore/layerstore.yaml"

# The installed configuration depends on the machine (LAYERSTORE_FMAN_PORTS).
PACKAGE_ARCH = "${MACHINE_ARCH}"

# The jars are architecture-independent but the package holds the arm64 HAL library; the netty
# native jars carry prebuilt .so files for the JVM to extract at run time, not for the linker.
INSANE_SKIP:${PN} += "already-stripped"
