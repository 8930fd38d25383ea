// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;

import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.wire.MacAddress;

/**
 * A link that loses frames on purpose, from a fixed seed: outgoing frames vanish as on a lossy wire (the
 * send reports success), received frames are dropped before the stack sees them. The loss rates can be
 * changed while the stack runs. The peer's kernel TCP stays the judge of what gets through.
 */
final class ImpairedLink implements Link {

    private final Link inner;
    private final Random random;
    private volatile double sendLoss;
    private volatile double receiveLoss;

    ImpairedLink(Link inner, long seed) {
        this.inner = inner;
        this.random = new Random(seed);
    }

    void loss(double send, double receive) {
        sendLoss = send;
        receiveLoss = receive;
    }

    @Override
    public MacAddress macAddress() {
        return inner.macAddress();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public int receive(FrameReceiver receiver, int timeoutMillis) {
        double loss = receiveLoss;
        return inner.receive(new FrameReceiver() {
            @Override
            public void onFrame(MemorySegment frame) {
                if (loss == 0 || random.nextDouble() >= loss) {
                    receiver.onFrame(frame);
                }
            }

            @Override
            public void onRejectedFrame() {
                receiver.onRejectedFrame();
            }
        }, timeoutMillis);
    }

    @Override
    public boolean send(MemorySegment header, List<PayloadSlice> payload) {
        double loss = sendLoss;
        if (loss != 0 && random.nextDouble() < loss) {
            return true;
        }
        return inner.send(header, payload);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void wakeup() {
        inner.wakeup();
    }

    @Override
    public PayloadPiece retainReceived(MemorySegment bytes) {
        return inner.retainReceived(bytes);
    }
}
