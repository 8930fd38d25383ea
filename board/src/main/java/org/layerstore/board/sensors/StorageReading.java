// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The storage under one path: the mount holding it and, when that mount sits on a block device, the device.
 *
 * @param path        the path asked about (a share root)
 * @param mountPoint  the mount point holding it
 * @param fsType      the file system type
 * @param source      the mount source, e.g. {@code /dev/mmcblk0p2}
 * @param device      the block device; null when the file system has none (tmpfs, overlay, network)
 * @param unavailable why there is no device reading; null when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageReading(String path, String mountPoint, String fsType, String source, BlockDeviceReading device,
        String unavailable) {
}
