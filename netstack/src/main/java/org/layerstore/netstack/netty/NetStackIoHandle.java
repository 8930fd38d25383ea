// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/** A channel of this transport as {@link NetStackIoHandler} registers it ({@link LoopRegistration}). */
interface NetStackIoHandle extends IoHandle {

    /** Never called: the stack's callbacks drive the channel, not readiness events. */
    @Override
    default void handle(IoRegistration registration, IoEvent event) {
        throw new UnsupportedOperationException("a NetStack channel has no readiness events");
    }
}
