// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    /** RFC 1071 done the obvious way: 16-bit big-endian words, end-around carry. */
    private static short reference(byte[] data) {
        long sum = 0;
        for (int i = 0; i < data.length; i += 2) {
            int hi = data[i] & 0xFF;
            int lo = i + 1 < data.length ? data[i + 1] & 0xFF : 0;
            sum += hi << 8 | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (short) ~sum;
    }

    @Test
    void anyWayOfCuttingTheBytesGivesTheReferenceChecksum() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[random.nextInt(1, 3000)];
            random.nextBytes(data);
            InternetChecksum sum = new InternetChecksum();
            int at = 0;
            while (at < data.length) {
                int piece = Math.min(data.length - at, random.nextInt(1, 40));
                sum.add(MemorySegment.ofArray(data).asSlice(at, piece));
                at += piece;
            }
            assertEquals(reference(data), sum.finish(), "round " + round + ", " + data.length + " bytes");
        }
    }

    @Test
    void theRfc1071ExampleSumsToItsPublishedValue() {
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals((short) ~0xddf2, new InternetChecksum().add(MemorySegment.ofArray(data)).finish());
    }

    @Test
    void bytesHoldingTheirOwnChecksumSumToZero() {
        byte[] data = new byte[20];
        new SplittableRandom(5).nextBytes(data);
        data[10] = 0;
        data[11] = 0;
        MemorySegment header = MemorySegment.ofArray(data);
        int checksum = InternetChecksum.of(header);
        data[10] = (byte) (checksum >>> 8);
        data[11] = (byte) checksum;
        assertEquals(0, InternetChecksum.of(header));
    }
}
