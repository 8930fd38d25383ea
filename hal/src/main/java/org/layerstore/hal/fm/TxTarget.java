// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

/**
 * Where a TX port's frames go on the emulated backend: a pcap file (whole Ethernet frames) and/or a
 * connected stream socket (each TCP segment's payload, after the receiving-peer checks). The
 * descriptors are borrowed: the caller keeps them open while the port is bound and closes them after.
 * On the board the port's MAC is the target and this is not used.
 *
 * @param pcapFd an empty file opened for writing, or -1
 * @param socketFd a connected stream socket, or -1
 */
public record TxTarget(int pcapFd, int socketFd) {

    public TxTarget {
        if (pcapFd < 0 && socketFd < 0) {
            throw new IllegalArgumentException("a TX target needs a pcap file, a socket, or both");
        }
    }

    public static TxTarget socket(int fd) {
        return new TxTarget(-1, fd);
    }

    public static TxTarget pcap(int fd) {
        return new TxTarget(fd, -1);
    }
}
