# SPDX-License-Identifier: Apache-2.0
# The appliance's broker: MQTT on 1883 for the appliance's telemetry and LAN clients, MQTT over
# WebSockets on 9001 for the dashboard page in the browser (see docs/yocto.md).
FILESEXTRAPATHS:prepend := "${THISDIR}/files:"
SRC_URI += "file://layerstore-broker.conf"

# The websockets listener needs libwebsockets (meta-oe); it is in the recipe's default PACKAGECONFIG
# in both wrynose and scarthgap, stated here so that a distro dropping it fails loudly.
PACKAGECONFIG:append = " websockets"

# wrynose unpacks into UNPACKDIR, scarthgap (which has no UNPACKDIR) into WORKDIR.
LAYERSTORE_BROKER_CONF = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}/layerstore-broker.conf"

do_install:append() {
    install -d ${D}${sysconfdir}/mosquitto/conf.d
    install -m 0644 ${LAYERSTORE_BROKER_CONF} ${D}${sysconfdir}/mosquitto/conf.d/layerstore.conf
    printf '\n# Layerstore appliance listeners (meta-layerstore)\ninclude_dir %s/mosquitto/conf.d\n' \
        "${sysconfdir}" >> ${D}${sysconfdir}/mosquitto/mosquitto.conf
}

FILES:${PN} += "${sysconfdir}/mosquitto/conf.d"
CONFFILES:${PN} += "${sysconfdir}/mosquitto/conf.d/layerstore.conf"
