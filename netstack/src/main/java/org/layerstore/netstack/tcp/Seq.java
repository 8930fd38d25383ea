// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): {@code a} is before {@code b} when the signed
 * 32-bit difference {@code a - b} is negative, which is right for any two numbers less than 2^31 apart,
 * across the wrap-around.
 */
public final class Seq {

    private Seq() {
    }

    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** True when {@code low <= x < high} in sequence space. */
    public static boolean inWindow(int x, int low, int high) {
        return le(low, x) && lt(x, high);
    }

    /** The distance from {@code from} forward to {@code to}, as an unsigned count (to must not be before from). */
    public static long distance(int from, int to) {
        return Integer.toUnsignedLong(to - from);
    }
}
