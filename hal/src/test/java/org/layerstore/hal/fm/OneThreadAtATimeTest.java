// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class OneThreadAtATimeTest {

    private final OneThreadAtATime driver = new OneThreadAtATime();

    @Test
    void aSecondThreadEnteringWhileTheFirstIsInsideFailsNamingBoth() throws Exception {
        Thread first = new Thread(driver::enter, "first-loop"); // enters and never leaves
        first.start();
        first.join();
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                driver.enter();
                second.complete(null);
            } catch (AssertionError e) {
                second.complete(e);
            }
        }, "second-loop");
        other.start();
        Throwable e = second.get();
        assertTrue(e instanceof AssertionError, "the second thread was let in");
        assertTrue(e.getMessage().contains("second-loop") && e.getMessage().contains("first-loop"), e.getMessage());
    }

    @Test
    void threadsTakingTurnsAreFine() throws Exception {
        assertTrue(driver.enter());
        assertTrue(driver.leave());
        assertEquals(true, CompletableFuture.supplyAsync(() -> driver.enter() && driver.leave()).get());
        assertTrue(driver.enter(), "the same thread again");
        assertTrue(driver.enter(), "re-entering its own call is not another thread");
    }
}
