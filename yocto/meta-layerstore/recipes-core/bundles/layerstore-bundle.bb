# SPDX-License-Identifier: Apache-2.0
SUMMARY = "Layerstore update bundle: the image's root file system, signed, for RAUC"
DESCRIPTION = "bitbake layerstore-bundle builds layerstore-bundle-${MACHINE}.raucb in the deploy \
directory: a verity bundle with layerstore-image's ext4 root file system, signed with the operator's key \
(LAYERSTORE_RAUC_KEY_DIR), installed on the board with rauc install."
LICENSE = "Apache-2.0"
LIC_FILES_CHKSUM = "file://${COMMON_LICENSE_DIR}/Apache-2.0;md5=89aea4e17d99a7cacdbeed46a0096b10"
SRC_URI = ""

inherit bundle

RAUC_BUNDLE_COMPATIBLE = "layerstore-${MACHINE}"
RAUC_BUNDLE_FORMAT = "verity"
RAUC_BUNDLE_SLOTS = "rootfs"
RAUC_SLOT_rootfs = "layerstore-image"
RAUC_SLOT_rootfs[fstype] = "ext4"

RAUC_KEY_FILE = "${LAYERSTORE_RAUC_KEY_DIR}/signing.key.pem"
RAUC_CERT_FILE = "${LAYERSTORE_RAUC_KEY_DIR}/signing.cert.pem"
RAUC_KEYRING_FILE = "${LAYERSTORE_RAUC_KEY_DIR}/ca.cert.pem"
