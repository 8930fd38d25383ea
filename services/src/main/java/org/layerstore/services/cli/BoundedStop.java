// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Closes the appliance on a thread of its own and waits at most a budget for it: a stop signal must end
 * the process promptly whatever state the appliance is in (a transfer in flight, a broker that does not
 * answer its disconnect, the embedded broker's own shutdown, which alone takes seconds on a busy machine), so
 * what is still closing when the budget is spent is cut: the JVM halts at once, with status 0, as after a
 * clean stop (the MQTT will then tells subscribers the appliance is offline).
 */
final class BoundedStop {

    private final Duration budget;

    BoundedStop(Duration budget) {
        this.budget = budget;
    }

    /** Returns once {@code resource} is closed; halts the JVM, saying so on {@code out}, when the budget is spent first. */
    void close(AutoCloseable resource, PrintWriter out) {
        close(resource, out, () -> { });
    }

    /**
     * As {@link #close(AutoCloseable, PrintWriter)}, then runs {@code afterwards}; when the budget is spent it runs
     * {@code afterwards} before the halt (what must not outlive the process: the demo's network namespace).
     */
    void close(AutoCloseable resource, PrintWriter out, Runnable afterwards) {
        Thread closer = Thread.ofPlatform().daemon().name("layerstore-stop").unstarted(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                out.println("Stopping: " + e);
            }
        });
        closer.start();
        try {
            if (!closer.join(budget)) {
                out.println("Stopping: not closed after " + budget.toMillis() + " ms; exiting anyway.");
                out.flush();
                afterwards.run();
                Runtime.getRuntime().halt(0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        afterwards.run();
        out.flush();
    }
}
