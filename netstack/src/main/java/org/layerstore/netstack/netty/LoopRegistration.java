// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.util.function.Function;

import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;

/**
 * A channel's registration on a {@link NetStackIoHandler}'s event loop, the one way both channels of this
 * transport register: taken in {@code doRegister}, cancelled in {@code doDeregister}.
 */
final class LoopRegistration {

    private IoRegistration registration;

    /** Whether {@code loop} is one that drives handles of {@code handle}'s kind (a NetStack loop). */
    static boolean compatible(EventLoop loop, Class<? extends NetStackIoHandle> handle) {
        return loop instanceof IoEventLoop io && io.isCompatible(handle);
    }

    /**
     * Registers {@code handle} on {@code loop} and completes {@code promise} with what {@code accept} says of
     * the registration: null to keep it, else the cause to fail with (the registration is then cancelled).
     */
    void register(NetStackIoHandle handle, EventLoop loop, ChannelPromise promise,
            Function<IoRegistration, Throwable> accept) {
        ((IoEventLoop) loop).register(handle).addListener(f -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            IoRegistration taken = (IoRegistration) f.getNow();
            Throwable refused = accept.apply(taken);
            if (refused != null) {
                taken.cancel();
                promise.setFailure(refused);
            } else {
                registration = taken;
                promise.setSuccess();
            }
        });
    }

    void cancel() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
    }
}
