# SPDX-License-Identifier: Apache-2.0
# RAUC's system configuration for the SD card's slots, and the CA whose bundles the image installs.
# The keyring is the operator's own CA certificate: LAYERSTORE_RAUC_KEY_DIR/ca.cert.pem (docs/yocto.md,
# "Update bundles"); test-bench/qemu/rauc-keys --dir makes a throw-away one for a first build.
FILESEXTRAPATHS:prepend := "${THISDIR}/files:${LAYERSTORE_RAUC_KEY_DIR}:"
RAUC_KEYRING_FILE = "ca.cert.pem"

# Bundles name the machine they are for (layerstore-bundle's RAUC_BUNDLE_COMPATIBLE); RAUC refuses others.
# meta-rauc installs system.conf to /etc/rauc (scarthgap) or /usr/lib/rauc (wrynose).
do_install:append() {
    find ${D} -name system.conf -exec sed -i 's/@MACHINE@/${MACHINE}/' {} +
}
