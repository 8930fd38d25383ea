# SPDX-License-Identifier: Apache-2.0
# The ls1046ardb image's kernel: linux-qoriq with NXP's USDPAA pieces (layerstore-usdpaa.cfg) and our
# device tree (fsl-ls1046a-rdb-layerstore.dts: NXP's USDPAA variant with MAC3 kept by the kernel as the
# management port), the tree U-Boot's boot script loads (LAYERSTORE_FDTFILE in layerstore-boot.bb).
# docs/board-bringup.md, "The usdpaa backend on a board".
FILESEXTRAPATHS:prepend := "${THISDIR}/files:"
SRC_URI:append:ls1046ardb = " file://layerstore-usdpaa.cfg file://fsl-ls1046a-rdb-layerstore.dts"

LAYERSTORE_KERNEL_FILES = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}"

# linux-qoriq.inc makes .config from the defconfig and merges a list of fragments into it (a path is
# merged as it is): EXTRA_KBUILD_DEFCONFIG on wrynose, DELTA_KERNEL_DEFCONFIG on scarthgap. Ours goes
# last, after lsdk.config, so it has the last word.
EXTRA_KBUILD_DEFCONFIG:append:ls1046ardb = " ${LAYERSTORE_KERNEL_FILES}/layerstore-usdpaa.cfg"
DELTA_KERNEL_DEFCONFIG:append:ls1046ardb = " ${LAYERSTORE_KERNEL_FILES}/layerstore-usdpaa.cfg"

# kernel-devicetree builds each KERNEL_DEVICETREE entry with the kernel's own dtc and includes, so the
# tree sits beside the NXP file it includes; it is installed as /boot/fsl-ls1046a-rdb-layerstore.dtb
# (the kernel-devicetree package the image carries in each root slot).
KERNEL_DEVICETREE:append:ls1046ardb = " freescale/fsl-ls1046a-rdb-layerstore.dtb"
do_configure:append:ls1046ardb() {
    install -m 0644 ${LAYERSTORE_KERNEL_FILES}/fsl-ls1046a-rdb-layerstore.dts ${S}/arch/arm64/boot/dts/freescale/
}
