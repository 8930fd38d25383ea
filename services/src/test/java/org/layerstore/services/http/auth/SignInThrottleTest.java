// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign-in throttle on a clock the test moves: free failures, doubling locks, what clears them. */
class SignInThrottleTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final SignInThrottle throttle = new SignInThrottle(now::get);

    @Test
    void shouldLockAfterTheFreeFailuresForDoublingTimesUpToTheCap() {
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
            assertTrue(throttle.check("192.0.2.1", "alice").allowed());
            assertEquals(0, throttle.failed("192.0.2.1", "alice"));
        }
        assertEquals(1, throttle.failed("192.0.2.1", "alice"));
        assertEquals(new SignInThrottle.Verdict(false, 1), throttle.check("192.0.2.1", "alice"));
        now.addAndGet(1000);
        assertTrue(throttle.check("192.0.2.1", "alice").allowed());
        assertEquals(2, throttle.failed("192.0.2.1", "alice"));
        assertEquals(4, throttle.failed("192.0.2.1", "alice"));
        for (int i = 0; i < 30; i++) {
            throttle.failed("192.0.2.1", "alice");
        }
        assertEquals(SignInThrottle.MAX_LOCK_SECONDS, throttle.check("192.0.2.1", "alice").retryAfterSeconds());
    }

    @Test
    void shouldLockTheUserFromEveryAddressAndTheAddressForEveryUser() {
        for (int i = 0; i <= SignInThrottle.FREE_FAILURES; i++) {
            throttle.failed("192.0.2.1", "alice");
        }
        assertFalse(throttle.check("198.51.100.7", "alice").allowed(), "the user, from another address");
        assertFalse(throttle.check("192.0.2.1", "bob").allowed(), "another user, from the address");
        assertTrue(throttle.check("198.51.100.7", "bob").allowed());
    }

    @Test
    void shouldStartAfreshAfterASuccessOrAnHourWithoutFailure() {
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
            throttle.failed("192.0.2.1", "alice");
        }
        throttle.succeeded("192.0.2.1", "alice");
        assertEquals(0, throttle.failed("192.0.2.1", "alice"), "the count started again");
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
            throttle.failed("192.0.2.1", "alice");
        }
        now.addAndGet(SignInThrottle.FORGET_SECONDS * 1000 + 1);
        assertEquals(0, throttle.failed("192.0.2.1", "alice"), "forgotten after an hour");
    }

    @Test
    void shouldRefuseALockedSignInWithoutCheckingThePasswordAndTellEveryFailure() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "carol:" + UserDirectory.hash("right", 4) + "\n");
        BasicAuthenticator auth = new BasicAuthenticator(UserDirectory.load(file), "R", false, throttle);
        List<String> told = new ArrayList<>();
        auth.onFailure((user, remote) -> told.add(user + "@" + remote));
        for (int i = 0; i <= SignInThrottle.FREE_FAILURES; i++) {
            assertInstanceOf(BasicAuthenticator.Result.Rejected.class, auth.authenticate(basic("carol", "wrong"), true, "192.0.2.9"));
        }
        assertEquals(new BasicAuthenticator.Result.Throttled(1), auth.authenticate(basic("carol", "right"), true, "192.0.2.9"));
        now.addAndGet(1000);
        assertEquals(new BasicAuthenticator.Result.Authenticated("carol"), auth.authenticate(basic("carol", "right"), true, "192.0.2.9"));
        assertEquals(SignInThrottle.FREE_FAILURES + 1, told.size());
        assertEquals("carol@192.0.2.9", told.getFirst());
        auth.authenticate(basic("x".repeat(200) + "\n", "p"), true, "192.0.2.9");
        assertEquals("x".repeat(BasicAuthenticator.LOGGED_NAME_CHARS) + "...@192.0.2.9", told.getLast());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
