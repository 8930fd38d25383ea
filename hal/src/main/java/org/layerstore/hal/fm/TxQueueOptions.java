// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

/**
 * How a TX queue is initialised beyond its port and confirmation queue: the fields of its QMan frame queue
 * descriptor that decide what rejects a frame (tail drop, congestion group).
 *
 * @param taildrop        QMan tail drop: a frame enqueued while the queue holds this many frames is rejected
 *                        ({@link Rejections#RC_FQ_TAILDROP}); 0: none
 * @param congestionGroup the congestion group ({@link FrameManager#createCongestionGroup}) whose byte count the
 *                        queue's frames add to; {@link #NO_GROUP}: none
 */
public record TxQueueOptions(int taildrop, int congestionGroup) {

    public static final int NO_GROUP = -1;
    /** No tail drop, no congestion group. */
    public static final TxQueueOptions NONE = new TxQueueOptions(0, NO_GROUP);

    public TxQueueOptions {
        if (taildrop < 0 || congestionGroup < NO_GROUP || congestionGroup > 255) {
            throw new IllegalArgumentException("taildrop " + taildrop + ", congestion group " + congestionGroup);
        }
    }

    public TxQueueOptions withTaildrop(int frames) {
        return new TxQueueOptions(frames, congestionGroup);
    }

    public TxQueueOptions inCongestionGroup(int group) {
        return new TxQueueOptions(taildrop, group);
    }
}
