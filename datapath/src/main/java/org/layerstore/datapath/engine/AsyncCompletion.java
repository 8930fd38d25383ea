// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

/**
 * A {@link Transfer} whose progress is reported by a device, not by the target's room: the offload
 * engine hands frames to the frame manager and counts them sent when their confirmations arrive. Its
 * {@link Transfer#transferTo} never waits for them: it collects what is confirmed, gives the device more,
 * and returns the confirmed bytes, often 0. When it returned 0 and {@link #awaitingCompletions()} is
 * true, the caller waits until {@link #completionFd()} is readable (poll, or an epoll set such as a
 * Netty event loop's) and calls {@code transferTo} again; waiting for the socket to be writable would
 * be wrong (it mostly is writable, so that would spin).
 *
 * <p>{@code transferTo} itself clears the descriptor before it collects, so a caller only watches it
 * and never reads it. The descriptor belongs to the transfer: it stays open until {@link Transfer#close},
 * and a caller must stop watching it (remove it from its epoll set) before closing the transfer.
 */
public interface AsyncCompletion {

    /** The descriptor that becomes readable when completions are waiting to be collected by {@code transferTo}. */
    int completionFd();

    /**
     * True when frames are with the device, so the descriptor will become readable; false when the
     * transfer is not waiting for the device (it has not started, is done, or writes to a target that is
     * not the device's, for which a 0 from {@code transferTo} means the target is full).
     */
    boolean awaitingCompletions();
}
