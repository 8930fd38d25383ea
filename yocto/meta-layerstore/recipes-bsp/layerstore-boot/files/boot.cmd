# SPDX-License-Identifier: Apache-2.0
# Layerstore's A/B slot chooser for U-Boot (compiled to boot.scr with mkimage -T script), on the boot
# partition of the SD card and of the QEMU disk alike. U-Boot's distro boot finds it there and runs it
# with devtype, devnum and distro_bootpart set to that partition.
#
# The boot state is RAUC's U-Boot interface (docs/integration.rst, "U-Boot"): BOOT_ORDER lists the slots
# to try ("A B" or "B A"), BOOT_<slot>_LEFT the attempts left for each. It lives in boot-state.env on
# this partition, a U-Boot environment blob (CRC32 + NAME=value strings, 16 KiB) that Linux reads and
# writes with libubootenv's fw_printenv/fw_setenv, as RAUC's uboot backend does, so both ends speak one
# format. A file on FAT rather than U-Boot's own environment: QEMU's U-Boot keeps that in a CFI flash
# Debian's kernel has no driver for, and one mechanism on board and emulator keeps the test honest.
#
# Each boot takes one attempt from the first slot in BOOT_ORDER that has attempts left and writes the
# count back before the kernel starts; the running system gives the attempts back once it is healthy
# (rauc status mark-good, from layerstore-slot-health). A slot whose attempts run out is passed over:
# that is the rollback. Slot A is partition 2, slot B partition 3.

setenv state_file boot-state.env
setenv state_size 0x4000
setenv BOOT_ORDER
setenv BOOT_A_LEFT
setenv BOOT_B_LEFT
if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${state_file} \
    && env import -c ${kernel_addr_r} ${state_size} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT; then
  echo "layerstore-boot: state BOOT_ORDER=${BOOT_ORDER} BOOT_A_LEFT=${BOOT_A_LEFT} BOOT_B_LEFT=${BOOT_B_LEFT}"
else
  echo "layerstore-boot: no readable ${state_file}: starting from slot A with 3 attempts"
fi
test -n "${BOOT_ORDER}" || setenv BOOT_ORDER "A B"
test -n "${BOOT_A_LEFT}" || setenv BOOT_A_LEFT 3
test -n "${BOOT_B_LEFT}" || setenv BOOT_B_LEFT 0

setenv slot
for candidate in ${BOOT_ORDER}; do
  if test -n "${slot}"; then
    true
  elif test "${candidate}" = A && test ${BOOT_A_LEFT} -gt 0; then
    setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
    setenv slot A
    setenv slot_part 2
  elif test "${candidate}" = B && test ${BOOT_B_LEFT} -gt 0; then
    setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
    setenv slot B
    setenv slot_part 3
  fi
done

if test -z "${slot}"; then
  # Every slot used up its attempts: start over rather than stop at a prompt no one watches.
  echo "layerstore-boot: no slot has attempts left; giving both 3 again and resetting"
  setenv BOOT_A_LEFT 3
  setenv BOOT_B_LEFT 3
  env export -c -s ${state_size} ${kernel_addr_r} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
  fatwrite ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${state_file} ${state_size}
  reset
fi

echo "layerstore-boot: booting slot ${slot} (partition ${slot_part}); attempts left A=${BOOT_A_LEFT} B=${BOOT_B_LEFT}"
env export -c -s ${state_size} ${kernel_addr_r} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
if fatwrite ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${state_file} ${state_size}; then
  true
else
  # Without the write a broken slot would be tried forever: refuse to boot uncounted.
  echo "layerstore-boot: cannot write ${state_file}; resetting"
  reset
fi

# The slot carries its own kernel, initramfs and boot.env (its kernel arguments, slot_bootargs, and its
# device tree file, slot_fdtfile, empty where the firmware passes one, as QEMU does), so an update
# replaces kernel and root together and a rollback brings the old kernel back too. (Booted here with
# booti rather than through an extlinux.conf: QEMU's U-Boot build has no sysboot command.)
setenv slot_bootargs
setenv slot_fdtfile
if load ${devtype} ${devnum}:${slot_part} ${pxefile_addr_r} /boot/boot.env; then
  env import -t ${pxefile_addr_r} ${filesize} slot_bootargs slot_fdtfile
fi
part uuid ${devtype} ${devnum}:${slot_part} slot_partuuid
setenv bootargs "root=PARTUUID=${slot_partuuid} rootwait rauc.slot=${slot} ${slot_bootargs}"
setenv slot_initrd -
if load ${devtype} ${devnum}:${slot_part} ${ramdisk_addr_r} /boot/initrd.img; then
  setenv slot_initrd ${ramdisk_addr_r}:${filesize}
fi
setenv slot_fdt ${fdtcontroladdr}
if test -n "${slot_fdtfile}"; then
  load ${devtype} ${devnum}:${slot_part} ${fdt_addr_r} /boot/${slot_fdtfile} && setenv slot_fdt ${fdt_addr_r}
fi
if load ${devtype} ${devnum}:${slot_part} ${kernel_addr_r} /boot/Image; then
  echo "layerstore-boot: bootargs ${bootargs}"
  booti ${kernel_addr_r} ${slot_initrd} ${slot_fdt}
fi
echo "layerstore-boot: slot ${slot} did not boot (no /boot/Image on partition ${slot_part}, or booti failed); resetting"
reset
