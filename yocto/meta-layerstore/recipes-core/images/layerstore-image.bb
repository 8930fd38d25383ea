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
"

# The appliance runs under systemd (the unit, its capabilities, StateDirectory=).
REQUIRED_DISTRO_FEATURES = "systemd"
inherit features_check

# Room for the Java runtime and uploads before the first resize.
IMAGE_ROOTFS_EXTRA_SPACE = "524288"

# qemuarm64 under runqemu: enough memory for the JVM, and the appliance's ports forwarded from the
# host's loopback with the slirp network (runqemu qemuarm64 nographic slirp).
QB_MEM:qemuarm64 = "-m 2048"
QB_SLIRP_OPT:qemuarm64 = "-netdev user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:1883-:1883,hostfwd=tcp:127.0.0.1:9001-:9001"

# NXP boards: meta-freescale's SD card layout (ls104x-uboot-bootpart.wks.in: RCW/PBL, FIP with U-Boot,
# FMan microcode, then boot and root partitions) as a wic image plus its block map for bmaptool.
IMAGE_FSTYPES:append:qoriq-arm64 = " wic.bmap"
