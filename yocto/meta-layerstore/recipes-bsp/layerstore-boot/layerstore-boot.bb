# SPDX-License-Identifier: Apache-2.0
SUMMARY = "Layerstore A/B boot: U-Boot's slot chooser, the initial boot state and libubootenv's configuration"
DESCRIPTION = "boot.scr (from boot.cmd) and boot-state.env for the SD card's boot partition (deployed, \
picked up by IMAGE_BOOT_FILES), /etc/fw_env.config for RAUC's U-Boot backend, and the slot's boot.env \
(kernel arguments and device tree) in /boot."
LICENSE = "Apache-2.0"
LIC_FILES_CHKSUM = "file://${COMMON_LICENSE_DIR}/Apache-2.0;md5=89aea4e17d99a7cacdbeed46a0096b10"

SRC_URI = "file://boot.cmd file://fw_env.config"
S = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}"

DEPENDS = "u-boot-tools-native"
inherit deploy

# The slot's kernel arguments: the boards' DUART1 (both LSCH2 SoCs) and their device trees. The
# LS1046A-RDB boots ours, NXP's USDPAA variant with MAC3 kept by the kernel (linux-qoriq_%.bbappend
# builds it into the kernel-devicetree package, /boot in the slot).
LAYERSTORE_BOOTARGS ?= "console=ttyS0,115200 earlycon=uart8250,mmio,0x21c0500"
LAYERSTORE_FDTFILE:ls1046ardb ?= "fsl-ls1046a-rdb-layerstore.dtb"
LAYERSTORE_FDTFILE:ls1046afrwy ?= "fsl-ls1046a-frwy.dtb"
LAYERSTORE_FDTFILE:ls1043a ?= "fsl-ls1043a-rdb.dtb"
LAYERSTORE_FDTFILE ?= ""

do_compile() {
    mkimage -A arm64 -O linux -T script -C none -n "layerstore A/B boot" -d ${S}/boot.cmd ${B}/boot.scr
    # Slot A first with 3 attempts; slot B is empty until the first update.
    printf 'BOOT_ORDER=A B\nBOOT_A_LEFT=3\nBOOT_B_LEFT=0\n' | mkenvimage -s 0x4000 -o ${B}/boot-state.env -
    printf 'slot_bootargs=%s\nslot_fdtfile=%s\n' "${LAYERSTORE_BOOTARGS}" "${LAYERSTORE_FDTFILE}" > ${B}/boot.env
}

do_install() {
    install -d ${D}${sysconfdir} ${D}/boot ${D}/boot/loader
    install -m 0644 ${S}/fw_env.config ${D}${sysconfdir}/fw_env.config
    install -m 0644 ${B}/boot.env ${D}/boot/boot.env
}

do_deploy() {
    install -m 0644 ${B}/boot.scr ${B}/boot-state.env ${S}/boot.cmd ${DEPLOYDIR}/
}
addtask deploy after do_compile before do_build

FILES:${PN} = "${sysconfdir}/fw_env.config /boot/boot.env /boot/loader"
CONFFILES:${PN} = "${sysconfdir}/fw_env.config"
RDEPENDS:${PN} = "libubootenv-bin"
PACKAGE_ARCH = "${MACHINE_ARCH}"
