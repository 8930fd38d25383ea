// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import org.layerstore.netstack.NetStack;

/** The stack's one event-loop thread in the kernel-peer tests: runOnce over and over until closed. */
final class StackLoop implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    private StackLoop(NetStack stack, String name) {
        thread = new Thread(() -> {
            while (running) {
                stack.runOnce(10);
            }
        }, name);
        thread.start();
    }

    static StackLoop start(NetStack stack, String name) {
        return new StackLoop(stack, name);
    }

    /** Stops the loop and waits (5 s at most) for its last turn to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
