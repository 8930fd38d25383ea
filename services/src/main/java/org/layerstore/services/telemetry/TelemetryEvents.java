// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry;

/**
 * Things worth telling an operator the moment they happen, published on
 * {@code <prefix>/<device-id>/events/<type>}. The services, datapath and HAL call these; every method
 * returns at once (the event is queued, never sent on the caller's thread) and never throws.
 * Storm-prone events (authentication failures, DMA errors) are rate-limited: the ones held back are
 * counted in the next one sent.
 */
public interface TelemetryEvents {

    /** Does nothing: for tests and for an appliance with telemetry switched off. */
    TelemetryEvents NONE = new TelemetryEvents() {
        @Override
        public void upload(String share, String path, long bytes) {
        }

        @Override
        public void uploadFailed(String share, String path, long bytes, String reason) {
        }

        @Override
        public void delete(String share, String path) {
        }

        @Override
        public void engineFallback(String engine, String fallback, String reason) {
        }

        @Override
        public void dmaError(String link, String detail) {
        }

        @Override
        public void authFailure(String user, String remoteAddress) {
        }
    };

    /** A file was written into a share. */
    void upload(String share, String path, long bytes);

    /** An upload into a share was dropped after {@code bytes} of its body, because of {@code reason}; the old file stands. */
    void uploadFailed(String share, String path, long bytes, String reason);

    /** A file or folder was deleted from a share (by DELETE, or moved away or replaced by MOVE and COPY). */
    void delete(String share, String path);

    /** A datapath engine could not be used and {@code fallback} serves instead, because of {@code reason}. */
    void engineFallback(String engine, String fallback, String reason);

    /**
     * The frame manager (or its emulation) could not read a frame the offload port on {@code link} sent, or the
     * pinning check found a pinned page moved.
     */
    void dmaError(String link, String detail);

    /** A client failed to authenticate. */
    void authFailure(String user, String remoteAddress);
}
