// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.dpaa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The parse results land where Linux's {@code struct fman_prs_result} has its fields, big-endian. */
class ParseResultTest {

    @Test
    void aTcpIpv4FrameIsDescribedAtTheLinuxOffsetsAndEverythingElseIsZero() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            buffer.fill((byte) 0x5A);
            ParseResult prs = ParseResult.ofTxBuffer(buffer).tcpIpv4(14, 34);
            assertEquals(32, ParseResult.BYTES);
            MemorySegment raw = buffer.asSlice(FrameDescriptor.PARSE_RESULT_OFFSET, 32);
            byte[] expected = new byte[32];
            expected[4] = (byte) 0x80; // l3r, big-endian 0x8000: IPv4
            expected[6] = 0x20;        // l4r: TCP
            expected[27] = 14;         // ip_off[0]
            expected[30] = 34;         // l4_off
            assertEquals(Arrays.toString(expected), Arrays.toString(raw.toArray(ValueLayout.JAVA_BYTE)));
            assertEquals(0x8000, prs.l3r());
            assertEquals(0x20, prs.l4r());
            assertEquals(14, prs.ipOffset());
            assertEquals(34, prs.l4Offset());
            assertEquals((byte) 0x5A, buffer.get(ValueLayout.JAVA_BYTE, FrameDescriptor.PARSE_RESULT_OFFSET - 1),
                    "the private area before the parse results is untouched");
            assertEquals((byte) 0x5A, buffer.get(ValueLayout.JAVA_BYTE, FrameDescriptor.PARSE_RESULT_OFFSET + 32),
                    "the timestamp after them is untouched");
        }
    }

    @Test
    void anOffsetPastOneByteIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            ParseResult prs = ParseResult.ofTxBuffer(arena.allocate(256));
            assertThrows(IllegalArgumentException.class, () -> prs.tcpIpv4(14, 256));
        }
    }
}
