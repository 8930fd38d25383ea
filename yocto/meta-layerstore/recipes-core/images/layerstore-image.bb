# SPDX-License-Identifier: Apache-2.0
SUMMARY = "Layerstore appliance image"
DESCRIPTION = "Boots to the Layerstore appliance: the file-sharing service, the Mosquitto broker it \
reports to, an SSH server and the tools an operator needs to look at storage, network and the board."
LICENSE = "Apache-2.0"

inherit core-image

IMAGE_FEATURES += "ssh-server-openssh"

IMAGE_INSTALL = " \
    packagegroup-core-boot \
    ${CORE_IMAGE_EXTRA_INSTALL} \
    layerstore \
    mosquitto \
    mosquitto-clients \
    openssh-sftp-server \
    e2fsprogs \
    e2fsprogs-resize2fs \
    util-linux \
    parted \
    iproute2 \
    ethtool \
    procps \
    htop \
    less \
    curl \
    tcpdump \
    i2c-tools \
    lmsensors-sensors \
    mmc-utils \
    layerstore-mdns \
"
# Updates (docs/yocto.md, "Update bundles"): RAUC and the boot state it shares with U-Boot. On the NXP
# boards the kernel and device tree live in the root slot's /boot, so an update carries them.
IMAGE_INSTALL:append:qoriq-arm64 = " rauc layerstore-boot layerstore-slot kernel-image kernel-devicetree"

# The appliance runs under systemd (the unit, its capabilities, StateDirectory=).
REQUIRED_DISTRO_FEATURES = "systemd"
inherit features_check

# Room in the root file system beyond its contents (uploads go to the data partition on the boards).
IMAGE_ROOTFS_EXTRA_SPACE = "262144"

# qemuarm64 under runqemu: enough memory for the JVM, and the appliance's ports forwarded from the
# host's loopback with the slirp network (runqemu qemuarm64 nographic slirp).
QB_MEM:qemuarm64 = "-m 2048"
QB_SLIRP_OPT:qemuarm64 = "-netdev user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:1883-:1883,hostfwd=tcp:127.0.0.1:9001-:9001"

# NXP boards: meta-freescale's SD card layout (RCW/PBL, FIP with U-Boot, FMan microcode, partitions
# from 16 MiB) with two root slots and a data partition (wic/layerstore-ls104x-sdcard.wks.in), as a
# wic image plus its block map for bmaptool, and the ext4 root file system layerstore-bundle signs.
IMAGE_FSTYPES:append:qoriq-arm64 = " wic.bmap ext4"
WKS_FILE:qoriq-arm64 = "layerstore-ls104x-sdcard.wks.in"
# The boot partition holds U-Boot's slot chooser and the boot state, nothing else.
IMAGE_BOOT_FILES:qoriq-arm64 = "boot.scr boot-state.env boot.cmd"
do_image_wic[depends] += "layerstore-boot:do_deploy"
# The wks file's FMAN-UCODE part copies ${FMAN_UCODE} from the deploy directory to 9 MiB, where U-Boot
# loads it into the frame manager: fm-ucode (the LSCH2 SoCs' FMan microcode) must have deployed it.
do_image_wic[depends] += "${@bb.utils.contains('MACHINEOVERRIDES', 'fsl-lsch2', 'fm-ucode:do_deploy', '', d)}"

# The data partition's starting content (the wks file puts /data there and leaves it out of the root
# slot): the share and state folders the appliance's user owns, and RAUC's status folder.
ROOTFS_POSTPROCESS_COMMAND += "layerstore_data_folders"
layerstore_data_folders() {
    owner=$(stat -c %u:%g ${IMAGE_ROOTFS}/srv/layerstore/files)
    install -d -m 0750 ${IMAGE_ROOTFS}/data/layerstore/files ${IMAGE_ROOTFS}/data/layerstore/state
    chown $owner ${IMAGE_ROOTFS}/data/layerstore/files ${IMAGE_ROOTFS}/data/layerstore/state
    install -d -m 0700 ${IMAGE_ROOTFS}/data/rauc
}
