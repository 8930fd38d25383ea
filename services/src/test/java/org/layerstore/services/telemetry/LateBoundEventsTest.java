// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Events raised before telemetry exists reach it, in order, once attached; beyond the early capacity they are counted. */
class LateBoundEventsTest {

    /** Records each event as one line. */
    private static final class Recorder implements TelemetryEvents {
        final List<String> seen = new ArrayList<>();

        @Override
        public void upload(String share, String path, long bytes) {
            seen.add("upload " + share + path + " " + bytes);
        }

        @Override
        public void uploadFailed(String share, String path, long bytes, String reason) {
            seen.add("upload_failed " + share + path + " " + bytes + " " + reason);
        }

        @Override
        public void delete(String share, String path) {
            seen.add("delete " + share + path);
        }

        @Override
        public void engineFallback(String engine, String fallback, String reason) {
            seen.add("engine_fallback " + engine);
        }

        @Override
        public void dmaError(String link, String detail) {
            seen.add("dma_error " + link);
        }

        @Override
        public void authFailure(String user, String remoteAddress) {
            seen.add("auth_failure " + user);
        }
    }

    @Test
    void earlyEventsArriveInOrderAfterAttachAndLaterOnesGoStraightThrough() {
        LateBoundEvents events = new LateBoundEvents();
        events.upload("files", "/a", 3);
        events.authFailure("mallory", "/192.0.2.7:5000");
        Recorder telemetry = new Recorder();
        assertEquals(0, events.attach(telemetry));
        events.delete("files", "/a");
        assertEquals(List.of("upload files/a 3", "auth_failure mallory", "delete files/a"), telemetry.seen);
    }

    @Test
    void earlyEventsBeyondTheCapacityAreCountedNotKept() {
        LateBoundEvents events = new LateBoundEvents();
        for (int i = 0; i < LateBoundEvents.EARLY_CAPACITY + 3; i++) {
            events.dmaError("lsdemo0", "frame " + i);
        }
        Recorder telemetry = new Recorder();
        assertEquals(3, events.attach(telemetry));
        assertEquals(LateBoundEvents.EARLY_CAPACITY, telemetry.seen.size());
    }
}
