// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

/**
 * A block device's capacity and I/O counters from /sys/dev/block/MAJ:MIN/{size,stat}
 * (Documentation/block/stat.rst: sectors are 512 bytes whatever the device's block size).
 *
 * @param device          the kernel name, e.g. {@code mmcblk0p2}
 * @param majorMinor      e.g. {@code 179:2}
 * @param sizeBytes       capacity in bytes
 * @param readsCompleted  read I/Os completed
 * @param bytesRead       bytes read (sectors read x 512)
 * @param writesCompleted write I/Os completed
 * @param bytesWritten    bytes written (sectors written x 512)
 * @param inFlight        I/Os in flight
 * @param ioMillis        milliseconds the device had I/O in flight
 */
public record BlockDeviceReading(String device, String majorMinor, long sizeBytes, long readsCompleted, long bytesRead,
        long writesCompleted, long bytesWritten, long inFlight, long ioMillis) {

    static final int SECTOR = 512;
}
