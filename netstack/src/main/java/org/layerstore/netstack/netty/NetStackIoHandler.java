// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.link.Link;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Netty 4.2's I/O side of an event loop that runs a {@link NetStack}: each turn of the loop is one
 * {@link NetStack#runOnce} (a burst of received frames, then the stack's due timers), so the stack, its
 * connections and their channels all live on the loop's one thread, as the stack requires, and Netty's
 * tasks and scheduled tasks (idle timeouts, writes from other threads) run between the turns.
 *
 * <p>Use it through {@code new MultiThreadIoEventLoopGroup(1, NetStackIoHandler.newFactory(stack))}: one
 * stack, one thread. The stack's callbacks drive the channels directly (there is no readiness to poll for
 * per channel), so a registration only hands the channel its stack.
 *
 * <p>Wake-up: a blocking turn waits in the link's receive until a frame arrives, a frame in flight is
 * confirmed, the stack's next timer is due or Netty's next scheduled task is, whichever comes first
 * (there is no fixed poll interval); a task handed over from another thread (a response written by a
 * file-I/O thread, the next read of an upload) ends the wait through {@link Link#wakeup}, as Netty's
 * epoll loop is woken through its eventfd.
 */
public final class NetStackIoHandler implements IoHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NetStackIoHandler.class);
    /** Longest wait in one blocking turn when nothing is scheduled sooner (Netty's delay is finite anyway). */
    static final int MAX_BLOCK_MILLIS = 1000;

    private final NetStack stack;
    private final ThreadAwareExecutor executor;
    private final Set<Registration> registrations = new LinkedHashSet<>();
    private final AtomicBoolean wakeUpRequested = new AtomicBoolean();

    private NetStackIoHandler(NetStack stack, ThreadAwareExecutor executor) {
        this.stack = stack;
        this.executor = executor;
    }

    /**
     * A factory for the one event loop of {@code stack}; a second loop over the same stack is refused,
     * since the stack is confined to one thread.
     */
    public static IoHandlerFactory newFactory(NetStack stack) {
        AtomicBoolean made = new AtomicBoolean();
        return executor -> {
            if (!made.compareAndSet(false, true)) {
                throw new IllegalStateException("a NetStack runs on one event loop: make the group with one thread");
            }
            return new NetStackIoHandler(stack, executor);
        };
    }

    /**
     * One turn. A wake-up requested before the turn makes it not block; one requested while it runs has
     * signalled the link, so the next turn's wait returns at once (the flag is cleared only after the turn,
     * and Netty runs the tasks handed over before their wake-up after it).
     */
    @Override
    public int run(IoHandlerContext context) {
        int waitMillis = 0;
        if (context.canBlock() && !wakeUpRequested.get()) {
            long delay = context.delayNanos(System.nanoTime());
            // Round up: a wait cut short of the scheduled task's time would only spin until it.
            waitMillis = (int) Math.min(MAX_BLOCK_MILLIS, (delay + 999_999) / 1_000_000);
        }
        int frames = stack.runOnce(waitMillis);
        wakeUpRequested.set(false);
        return frames;
    }

    @Override
    public void wakeup() {
        if (!executor.isExecutorThread(Thread.currentThread()) && wakeUpRequested.compareAndSet(false, true)) {
            stack.wakeup();
        }
    }

    /** Closes every channel still registered, as the loop shuts down. */
    @Override
    public void prepareToDestroy() {
        List<Registration> open = new ArrayList<>(registrations);
        for (Registration r : open) {
            try {
                r.handle.close();
            } catch (Exception e) {
                LOG.warn("closing a channel as its event loop stops: {}", e.toString());
                r.cancel(); // off the loop all the same, so shutdown goes on with the others
            }
        }
    }

    @Override
    public void destroy() {
        registrations.clear();
    }

    @Override
    public IoRegistration register(IoHandle handle) {
        NetStackIoHandle stackHandle = (NetStackIoHandle) handle;
        Registration r = new Registration(stackHandle);
        registrations.add(r);
        stackHandle.registered();
        return r;
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return NetStackIoHandle.class.isAssignableFrom(handleType);
    }

    /** A channel on this loop; its attachment is the stack. */
    private final class Registration implements IoRegistration {

        private final NetStackIoHandle handle;
        private boolean valid = true;

        Registration(NetStackIoHandle handle) {
            this.handle = handle;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T attachment() {
            return (T) stack;
        }

        /** There are no readiness operations: the stack calls the channel when something happens. */
        @Override
        public long submit(IoOps ops) {
            return 0;
        }

        @Override
        public boolean isValid() {
            return valid;
        }

        @Override
        public boolean cancel() {
            if (!valid) {
                return false;
            }
            valid = false;
            registrations.remove(this);
            handle.unregistered();
            return true;
        }
    }
}
