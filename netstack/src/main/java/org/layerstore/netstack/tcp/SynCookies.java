// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import org.layerstore.netstack.time.Clock;

/**
 * SYN cookies (RFC 4987 §3.6): when a listener's SYN queue is full, the SYN-ACK's ISN encodes what the
 * connection needs and the SYN-ACK keeps no state. Layout of the 32 bits: a 5-bit counter t of 64-second
 * periods, a 3-bit index into {@link #MSS_TABLE}, and 24 bits of the keyed hash of the four-tuple, t and
 * the client's ISN. A cookie is valid in its own period and the next one. The options beyond MSS (window
 * scale, SACK, timestamps) are not encoded: a cookie connection runs without them.
 */
final class SynCookies {

    static final int[] MSS_TABLE = {536, 1024, 1220, 1360, 1400, 1440, 1448, 1460};
    private static final long PERIOD_NANOS = 64_000_000_000L;

    private final Clock clock;
    private final IsnGenerator hash;

    SynCookies(Clock clock, IsnGenerator hash) {
        this.clock = clock;
        this.hash = hash;
    }

    /** The cookie ISN for a SYN with client ISN {@code irs} and MSS option {@code mss}. */
    int cookie(int localAddress, int localPort, int remoteAddress, int remotePort, int irs, int mss) {
        int t = period();
        int index = 0;
        for (int i = MSS_TABLE.length - 1; i >= 0; i--) {
            if (MSS_TABLE[i] <= mss) {
                index = i;
                break;
            }
        }
        return (t << 27) | (index << 24) | (mac(localAddress, localPort, remoteAddress, remotePort, irs, t) & 0xFFFFFF);
    }

    /**
     * The MSS encoded in {@code cookie} when it is valid for this four-tuple and client ISN {@code irs},
     * else -1.
     */
    int check(int localAddress, int localPort, int remoteAddress, int remotePort, int irs, int cookie) {
        int t = cookie >>> 27;
        int age = (period() - t) & 0x1F;
        if (age > 1) {
            return -1;
        }
        int expected = mac(localAddress, localPort, remoteAddress, remotePort, irs, t) & 0xFFFFFF;
        return (cookie & 0xFFFFFF) == expected ? MSS_TABLE[(cookie >>> 24) & 0x7] : -1;
    }

    private int period() {
        return (int) ((clock.nanos() / PERIOD_NANOS) & 0x1F);
    }

    private int mac(int localAddress, int localPort, int remoteAddress, int remotePort, int irs, int t) {
        return hash.hash(localAddress, localPort, remoteAddress, remotePort, irs * 31 + t);
    }
}
