# SPDX-License-Identifier: Apache-2.0
SUMMARY = "Marks the booted root slot good once the appliance answers, or reboots to fall back"
DESCRIPTION = "layerstore-slot-health, run once per boot by its systemd unit: rauc status mark-good \
booted when the appliance answers HTTP, a reboot into the other slot when it does not within \
LAYERSTORE_HEALTH_TIMEOUT (900 s) and that slot has boot attempts left."
LICENSE = "Apache-2.0"
LIC_FILES_CHKSUM = "file://${COMMON_LICENSE_DIR}/Apache-2.0;md5=89aea4e17d99a7cacdbeed46a0096b10"

SRC_URI = "file://layerstore-slot-health file://layerstore-slot-health.service"
S = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}"

inherit systemd

do_install() {
    install -d ${D}${bindir} ${D}${systemd_system_unitdir}
    install -m 0755 ${S}/layerstore-slot-health ${D}${bindir}/
    install -m 0644 ${S}/layerstore-slot-health.service ${D}${systemd_system_unitdir}/
}

SYSTEMD_SERVICE:${PN} = "layerstore-slot-health.service"
RDEPENDS:${PN} = "rauc curl libubootenv-bin"
