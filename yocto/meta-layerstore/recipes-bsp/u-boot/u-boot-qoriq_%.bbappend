# SPDX-License-Identifier: Apache-2.0
# boot.scr writes the A/B boot state back to the boot partition with fatwrite before every boot; NXP's
# ls10{43,46}ardb_tfa_defconfig enable FAT reading (DISTRO_DEFAULTS) but not writing.
FILESEXTRAPATHS:prepend := "${THISDIR}/files:"
SRC_URI:append:qoriq-arm64 = " file://fat-write.cfg"
