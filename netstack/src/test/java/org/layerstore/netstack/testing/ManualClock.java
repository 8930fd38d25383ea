// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.testing;

import java.time.Duration;

import org.layerstore.netstack.time.Clock;

/** A clock that moves only when the test says so. */
public final class ManualClock implements Clock {

    private long now = 1_000_000_000_000L;

    @Override
    public long nanos() {
        return now;
    }

    public void advance(Duration by) {
        now += by.toNanos();
    }
}
