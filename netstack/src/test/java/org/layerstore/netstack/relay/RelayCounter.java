// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.relay;

import java.util.Locale;

/** What the relay counts per direction: each frame received ends as forwarded (once or twice), lost or overflowed. */
public enum RelayCounter {
    /** Frames read from the receiving end. */
    RECEIVED,
    /** Frames written to the other end (a duplicated frame counts twice). */
    FORWARDED,
    /** Frames dropped on purpose (the loss rate). */
    LOST,
    /** Frames queued a second time (the duplication rate). */
    DUPLICATED,
    /** Frames sent with one bit of their IPv4 datagram flipped (the corruption rate). */
    CORRUPTED,
    /** Frames held back behind later ones (the reordering rate). */
    REORDERED,
    /** Frames dropped because the direction's queue was full (its limit). */
    OVERFLOWED,
    /** Frames longer than the relay's buffers, dropped. */
    TOO_LONG,
    /** Frames the sending end refused (sendmsg failed). */
    SEND_FAILED;

    /** The name in the relay's counter lines: {@code send-failed}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
