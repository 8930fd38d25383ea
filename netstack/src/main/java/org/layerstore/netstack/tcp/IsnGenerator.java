// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.layerstore.netstack.time.Clock;

/**
 * Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a 4-microsecond timer, F a keyed hash (HMAC-SHA-256 from the JDK, the secret drawn once
 * per stack from {@link SecureRandom}). Also the keyed hash the SYN cookies use.
 */
public final class IsnGenerator {

    private final Clock clock;
    private final Mac mac;

    public IsnGenerator(Clock clock, SecureRandom random) {
        this.clock = clock;
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public int isn(int localAddress, int localPort, int remoteAddress, int remotePort) {
        int m = (int) (clock.nanos() / 4_000);
        return m + hash(localAddress, localPort, remoteAddress, remotePort, 0);
    }

    /** F of RFC 6528 over the four-tuple and {@code salt}. */
    int hash(int localAddress, int localPort, int remoteAddress, int remotePort, int salt) {
        byte[] input = new byte[16];
        put(input, 0, localAddress);
        put(input, 4, (localPort << 16) | (remotePort & 0xFFFF));
        put(input, 8, remoteAddress);
        put(input, 12, salt);
        byte[] out = mac.doFinal(input);
        return ((out[0] & 0xFF) << 24) | ((out[1] & 0xFF) << 16) | ((out[2] & 0xFF) << 8) | (out[3] & 0xFF);
    }

    private static void put(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
