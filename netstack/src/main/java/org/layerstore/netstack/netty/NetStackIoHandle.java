// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/** A channel of this transport as {@link NetStackIoHandler} registers it ({@link LoopRegistration}). */
interface NetStackIoHandle extends IoHandle {

    /** The channel's own close ({@code Channel.Unsafe}'s), which the loop's close of this handle runs. */
    void close(ChannelPromise promise);

    /** The channel's promise that reports to no one ({@code Channel.Unsafe}'s). */
    ChannelPromise voidPromise();

    @Override
    default void close() {
        close(voidPromise());
    }

    /** Never called: the stack's callbacks drive the channel, not readiness events. */
    @Override
    default void handle(IoRegistration registration, IoEvent event) {
        throw new UnsupportedOperationException("a NetStack channel has no readiness events");
    }
}
