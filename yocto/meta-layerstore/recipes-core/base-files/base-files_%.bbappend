# SPDX-License-Identifier: Apache-2.0
# The SD card's boot and data partitions (wic/layerstore-ls104x-sdcard.wks.in): the boot state RAUC and
# U-Boot share, and the shares, the appliance's state and RAUC's status, which updates never write.
# Only on the NXP boards: the qemuarm64 image (runqemu, one root file system) has no such partitions.
do_install:append:qoriq-arm64() {
    cat >> ${D}${sysconfdir}/fstab <<'FSTAB'
LABEL=BOOT   /boot/loader          vfat  rw,noatime,flush  0  2
LABEL=data   /data                 ext4  rw,noatime        0  2
/data/layerstore/files  /srv/layerstore/files  none  bind,x-systemd.requires-mounts-for=/data  0  0
/data/layerstore/state  /var/lib/layerstore    none  bind,x-systemd.requires-mounts-for=/data  0  0
FSTAB
}
