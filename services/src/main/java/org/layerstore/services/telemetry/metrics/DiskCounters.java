// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

/**
 * The block device under one share, as the kernel counts its I/O since boot.
 *
 * @param share        the share's name
 * @param device       the kernel's name of the device, e.g. {@code mmcblk0p2}
 * @param bytesRead    bytes read from the device
 * @param bytesWritten bytes written to it
 * @param reads        read I/Os completed
 * @param writes       write I/Os completed
 * @param inFlight     I/Os in flight now
 */
public record DiskCounters(String share, String device, long bytesRead, long bytesWritten, long reads, long writes,
        long inFlight) {
}
