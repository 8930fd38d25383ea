// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TcpOptionsTest {

    private static TcpOptions parse(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return TcpOptions.parse(MemorySegment.ofArray(b));
    }

    @Test
    void linuxSynOptionsParse() {
        // MSS 1460, SACK-permitted, timestamps 1/0, NOP, window scale 7: what Linux puts in a SYN.
        TcpOptions o = parse(2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7);
        assertEquals(TcpOptions.Parse.OK, o.parse);
        assertEquals(1460, o.mss);
        assertTrue(o.sackPermitted);
        assertTrue(o.timestamps);
        assertEquals(1, o.tsVal);
        assertEquals(7, o.windowShift);
    }

    @Test
    void writtenOptionsParseBack() {
        TcpOptions o = new TcpOptions();
        o.mss = 1448;
        o.windowShift = 3;
        o.timestamps = true;
        o.tsVal = 0xCAFE_BABE;
        o.tsEcr = 42;
        o.sackPermitted = true;
        MemorySegment s = MemorySegment.ofArray(new byte[o.encodedLength()]);
        assertEquals(o.encodedLength(), o.write(s, 0));
        assertEquals(0, o.encodedLength() % 4, "aligned to 32 bits");
        TcpOptions back = TcpOptions.parse(s);
        assertEquals(1448, back.mss);
        assertEquals(3, back.windowShift);
        assertEquals(0xCAFE_BABE, back.tsVal);
        assertEquals(42, back.tsEcr);
        assertTrue(back.sackPermitted);
    }

    @Test
    void zeroLengthIsMalformed() {
        assertEquals(TcpOptions.Parse.MALFORMED, parse(2, 0, 5, 0xb4).parse);
    }

    @Test
    void lengthPastTheHeaderIsMalformed() {
        assertEquals(TcpOptions.Parse.MALFORMED, parse(8, 10, 0, 0).parse);
        assertEquals(TcpOptions.Parse.MALFORMED, parse(1, 1, 2).parse, "a kind without its length byte");
    }

    @Test
    void knownOptionWithTheWrongLengthIsSkippedAndTheRestStillRead() {
        TcpOptions o = parse(2, 3, 5, 3, 3, 7);
        assertEquals(TcpOptions.Parse.BAD_LENGTH, o.parse);
        assertEquals(TcpOptions.ABSENT, o.mss);
        assertEquals(7, o.windowShift);
    }

    @Test
    void unknownOptionsAreSkippedAndCounted() {
        TcpOptions o = parse(30, 4, 1, 2, 254, 2, 2, 4, 2, 0x18);
        assertEquals(TcpOptions.Parse.OK, o.parse);
        assertEquals(2, o.unknownOptions);
        assertEquals(536, o.mss);
    }

    @Test
    void windowShiftAbove14IsUsedAs14() {
        assertEquals(14, parse(3, 3, 200).windowShift);
    }

    @Test
    void sackBlocksParse() {
        TcpOptions o = parse(5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40);
        assertEquals(2, o.sackBlockCount);
        assertEquals(10, o.sackBlocks[0]);
        assertEquals(40, o.sackBlocks[3]);
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(7323);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(41)];
            random.nextBytes(b);
            TcpOptions o = TcpOptions.parse(MemorySegment.ofArray(b));
            assertFalse(o.sackBlockCount > TcpOptions.MAX_SACK_BLOCKS);
        }
    }
}
