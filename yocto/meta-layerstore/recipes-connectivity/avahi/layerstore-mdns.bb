# SPDX-License-Identifier: Apache-2.0
SUMMARY = "Announces the Layerstore share over mDNS/DNS-SD (avahi service files)"
DESCRIPTION = "_http._tcp and _webdav._tcp on port 80 with path=/files/, under the board's host name \
(<hostname>.local), for avahi-daemon."
LICENSE = "Apache-2.0"
LIC_FILES_CHKSUM = "file://${COMMON_LICENSE_DIR}/Apache-2.0;md5=89aea4e17d99a7cacdbeed46a0096b10"

SRC_URI = "file://layerstore-http.service file://layerstore-webdav.service"
S = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}"

do_install() {
    install -d ${D}${sysconfdir}/avahi/services
    install -m 0644 ${S}/layerstore-http.service ${S}/layerstore-webdav.service ${D}${sysconfdir}/avahi/services/
}

FILES:${PN} = "${sysconfdir}/avahi/services"
RDEPENDS:${PN} = "avahi-daemon"
