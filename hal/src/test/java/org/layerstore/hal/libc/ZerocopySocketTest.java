// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerstore.hal.bindings.libc.cmsghdr;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.bindings.libc.sock_extended_err;

/**
 * The error-queue parser walks every control message of a reply, as the kernel may queue several:
 * control buffers laid out as Linux lays them out (LP64: a 16-byte {@code cmsghdr}, data 8-aligned).
 */
class ZerocopySocketTest {

    @Test
    void everyZerocopyCompletionOfAReplyIsFoundAndOtherControlMessagesAreSkipped() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(256, 8);
            long at = 0;
            at = recvErr(control, at, libc_h.SOL_IP(), libc_h.IP_RECVERR(), 0, 3, 0);
            at = other(control, at);
            at = recvErr(control, at, libc_h.SOL_IPV6(), libc_h.IPV6_RECVERR(), 4, 4,
                    libc_h.SO_EE_CODE_ZEROCOPY_COPIED());
            long end = at;
            cmsghdr.cmsg_len(control.asSlice(end), 64); // a truncated header past the reply: the walk stops there
            List<ZerocopySocket.Completion> found = new ArrayList<>();
            ZerocopySocket.completions(control, end + cmsghdr.sizeof(), found::add);
            assertEquals(List.of(new ZerocopySocket.Completion(0, 3, false), new ZerocopySocket.Completion(4, 4, true)),
                    found);
        }
    }

    @Test
    void anErrorThatIsNotAZerocopyCompletionIsNotOne() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(128, 8);
            long end = recvErr(control, 0, libc_h.SOL_IP(), libc_h.IP_RECVERR(), 0, 0, 0);
            sock_extended_err.ee_origin(control.asSlice(cmsghdr.sizeof()), (byte) libc_h.SO_EE_ORIGIN_LOCAL());
            List<ZerocopySocket.Completion> found = new ArrayList<>();
            ZerocopySocket.completions(control, end, found::add);
            assertEquals(List.of(), found);
        }
    }

    /** An IP(V6)_RECVERR message: header, sock_extended_err, then the offender's address (16 bytes). */
    private static long recvErr(MemorySegment control, long at, int level, int type, int first, int last, int code) {
        long length = cmsghdr.sizeof() + sock_extended_err.sizeof() + 16;
        MemorySegment cmsg = control.asSlice(at, length);
        cmsghdr.cmsg_len(cmsg, length);
        cmsghdr.cmsg_level(cmsg, level);
        cmsghdr.cmsg_type(cmsg, type);
        MemorySegment error = cmsg.asSlice(cmsghdr.sizeof(), sock_extended_err.sizeof());
        sock_extended_err.ee_errno(error, 0);
        sock_extended_err.ee_origin(error, (byte) libc_h.SO_EE_ORIGIN_ZEROCOPY());
        sock_extended_err.ee_code(error, (byte) code);
        sock_extended_err.ee_info(error, first);
        sock_extended_err.ee_data(error, last);
        return at + ((length + 7) & -8);
    }

    /** A control message of another kind (level SOL_SOCKET), 4 bytes of data: 20, aligned to 24. */
    private static long other(MemorySegment control, long at) {
        MemorySegment cmsg = control.asSlice(at, cmsghdr.sizeof() + 4);
        cmsghdr.cmsg_len(cmsg, cmsghdr.sizeof() + 4);
        cmsghdr.cmsg_level(cmsg, libc_h.SOL_SOCKET());
        cmsghdr.cmsg_type(cmsg, 1);
        return at + ((cmsghdr.sizeof() + 4 + 7) & -8);
    }
}
