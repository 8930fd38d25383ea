// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

/**
 * A congestion group's state, as QMan's Query CGR answers it, or as a state change notification reports it.
 *
 * @param group     the congestion group id (0 to 255)
 * @param congested whether its byte count exceeds its threshold
 * @param bytes     its instantaneous byte count: the frame lengths of the frames queued on its queues
 */
public record CongestionState(int group, boolean congested, long bytes) {
}
