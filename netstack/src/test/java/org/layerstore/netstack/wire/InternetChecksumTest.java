// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    @Test
    void rfc1071Example() {
        // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2; the checksum is its complement.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(~0xddf2 & 0xFFFF, InternetChecksum.of(MemorySegment.ofArray(b)));
    }

    @Test
    void anyCutIntoPiecesGivesTheSameSumAsTheWhole() {
        Random random = new Random(1071);
        for (int round = 0; round < 500; round++) {
            byte[] b = new byte[1 + random.nextInt(3000)];
            random.nextBytes(b);
            MemorySegment whole = MemorySegment.ofArray(b);
            InternetChecksum pieces = new InternetChecksum();
            int at = 0;
            while (at < b.length) {
                int n = Math.min(b.length - at, 1 + random.nextInt(17));
                pieces.add(whole.asSlice(at, n));
                at += n;
            }
            assertEquals(InternetChecksum.of(whole), pieces.finish(), "length " + b.length);
        }
    }

    @Test
    void dataContainingItsChecksumSumsToZero() {
        byte[] b = new byte[20];
        new Random(5).nextBytes(b);
        MemorySegment s = MemorySegment.ofArray(b);
        Bytes.u16(s, 10, 0);
        Bytes.u16(s, 10, InternetChecksum.of(s));
        assertEquals(0, InternetChecksum.of(s));
    }
}
