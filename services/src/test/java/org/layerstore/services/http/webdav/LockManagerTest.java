// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LockManagerTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LockManager locks = new LockManager(now::get);

    @Test
    void exclusiveConflictsWithEverythingSharedWithExclusiveOnly() {
        assertNotNull(locks.lock("/s/a", "/s/a", false, false, "", 60));
        assertNotNull(locks.lock("/s/a", "/s/a", false, false, "", 60));
        assertNull(locks.lock("/s/a", "/s/a", true, false, "", 60));
        assertNotNull(locks.lock("/s/b", "/s/b", true, false, "", 60));
        assertNull(locks.lock("/s/b", "/s/b", false, false, "", 60));
    }

    @Test
    void depthInfinityCoversMembersAndConflictsWithLocksBelow() {
        ActiveLock dir = locks.lock("/s/d", "/s/d/", true, true, "", 60);
        assertEquals(1, locks.covering("/s/d/x/y").size());
        assertEquals(0, locks.covering("/s/dx").size());
        assertNull(locks.lock("/s/d/x", "/s/d/x", true, false, "", 60));
        locks.unlock(dir.token());
        assertNotNull(locks.lock("/s/d/x", "/s/d/x", true, false, "", 60));
        assertNull(locks.lock("/s/d", "/s/d/", true, true, "", 60));
        assertNotNull(locks.lock("/s/d", "/s/d/", true, false, "", 60)); // depth 0 does not reach the member
    }

    @Test
    void locksExpireUnlessRefreshed() {
        ActiveLock a = locks.lock("/s/a", "/s/a", true, false, "", 10);
        now.addAndGet(9_000);
        assertNotNull(locks.refresh(a.token(), 10));
        now.addAndGet(9_000);
        assertNotNull(locks.get(a.token()));
        now.addAndGet(1_001);
        assertNull(locks.get(a.token()));
        assertTrue(locks.covering("/s/a").isEmpty());
        assertNotNull(locks.lock("/s/a", "/s/a", true, false, "", 10));
    }

    @Test
    void timeoutHeadersAreBounded() {
        assertEquals(LockManager.DEFAULT_TIMEOUT_SECONDS, LockManager.timeout(null));
        assertEquals(LockManager.DEFAULT_TIMEOUT_SECONDS, LockManager.timeout("Infinite"));
        assertEquals(120, LockManager.timeout("Infinite, Second-120"));
        assertEquals(LockManager.MAX_TIMEOUT_SECONDS, LockManager.timeout("Second-99999999999"));
        assertEquals(LockManager.DEFAULT_TIMEOUT_SECONDS, LockManager.timeout("Second-x"));
    }
}
