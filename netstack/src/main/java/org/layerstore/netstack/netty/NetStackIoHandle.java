// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.util.function.Function;

import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/** A channel of this transport as {@link NetStackIoHandler} registers it. */
interface NetStackIoHandle extends IoHandle {

    /** Never called: the stack's callbacks drive the channel, not readiness events. */
    @Override
    default void handle(IoRegistration registration, IoEvent event) {
        throw new UnsupportedOperationException("a NetStack channel has no readiness events");
    }

    /**
     * Registers this handle on {@code loop} (a {@link NetStackIoHandler}'s) and completes {@code promise} with
     * what {@code accept} says of the registration: null to accept it, else the cause to fail with (the
     * registration is then cancelled).
     */
    default void register(EventLoop loop, ChannelPromise promise, Function<IoRegistration, Throwable> accept) {
        ((IoEventLoop) loop).register(this).addListener(f -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            IoRegistration registration = (IoRegistration) f.getNow();
            Throwable refused = accept.apply(registration);
            if (refused != null) {
                registration.cancel();
                promise.setFailure(refused);
            } else {
                promise.setSuccess();
            }
        });
    }
}
