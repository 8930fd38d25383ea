// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.dpaa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerstore.hal.HalLibrary;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_bm_fields;
import org.layerstore.hal.bindings.hal.lsh_fd_fields;
import org.layerstore.hal.bindings.hal.lsh_sg_fields;

/**
 * The Java flyweights and the C codec (lsh_*_decode/encode, the one the emulator uses) agree in both
 * directions, for every format and at the edges of every field.
 */
class CodecAgreementTest {

    private Arena arena;

    @BeforeAll
    static void load() {
        HalLibrary.ensureAvailable();
    }

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        arena.close();
    }

    record Fd(FdFormat format, long address, int offset, int length, int cmd, int dd, int pid, int bpid, int eliodn) {
    }

    static Stream<Arguments> descriptors() {
        List<Arguments> cases = new ArrayList<>();
        Random random = new Random(42);
        for (FdFormat f : List.of(FdFormat.CONTIG, FdFormat.CONTIG_BIG, FdFormat.SG, FdFormat.SG_BIG,
                FdFormat.COMPOUND)) {
            int maxLength = f.big() ? FrameDescriptor.LENGTH_BIG_MAX : FrameDescriptor.LENGTH_MAX;
            int maxOffset = f.big() ? 0 : FrameDescriptor.OFFSET_MAX;
            cases.add(Arguments.of(new Fd(f, 0, 0, 0, 0, 0, 0, 0, 0)));
            cases.add(Arguments.of(new Fd(f, FrameDescriptor.ADDRESS_MAX, maxOffset, maxLength, -1, 3, 63, 0xFF, 15)));
            cases.add(Arguments.of(new Fd(f, 1L << 32, maxOffset == 0 ? 0 : 1, 1, FrameDescriptor.CMD_FCO | 0xFFFFFF,
                    1, 1, FrameDescriptor.BPID_NONE, 1)));
            for (int i = 0; i < 5; i++) {
                cases.add(Arguments.of(new Fd(f, random.nextLong(FrameDescriptor.ADDRESS_MAX + 1),
                        maxOffset == 0 ? 0 : random.nextInt(maxOffset + 1), random.nextInt(maxLength + 1),
                        random.nextInt(), random.nextInt(4), random.nextInt(64), random.nextInt(256),
                        random.nextInt(16))));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void aDescriptorWrittenInJavaDecodesInC(Fd v) {
        MemorySegment raw = arena.allocate(FrameDescriptor.BYTES);
        FrameDescriptor.at(raw, 0).clear().format(v.format()).address(v.address()).offset(v.offset())
                .length(v.length()).cmd(v.cmd()).dd(v.dd()).pid(v.pid()).bpid(v.bpid()).eliodn(v.eliodn());
        MemorySegment f = lsh_fd_fields.allocate(arena);
        hal_h.lsh_fd_decode(raw, f);
        assertEquals(v, new Fd(FdFormat.of(lsh_fd_fields.format(f)), lsh_fd_fields.addr(f),
                lsh_fd_fields.offset(f), lsh_fd_fields.length(f), lsh_fd_fields.cmd(f),
                Byte.toUnsignedInt(lsh_fd_fields.dd(f)), Byte.toUnsignedInt(lsh_fd_fields.pid(f)),
                Byte.toUnsignedInt(lsh_fd_fields.bpid(f)), Byte.toUnsignedInt(lsh_fd_fields.eliodn(f))));
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void aDescriptorEncodedInCReadsTheSameInJava(Fd v) {
        MemorySegment f = lsh_fd_fields.allocate(arena);
        lsh_fd_fields.addr(f, v.address());
        lsh_fd_fields.format(f, v.format().word());
        lsh_fd_fields.offset(f, v.offset());
        lsh_fd_fields.length(f, v.length());
        lsh_fd_fields.cmd(f, v.cmd());
        lsh_fd_fields.dd(f, (byte) v.dd());
        lsh_fd_fields.pid(f, (byte) v.pid());
        lsh_fd_fields.bpid(f, (byte) v.bpid());
        lsh_fd_fields.eliodn(f, (byte) v.eliodn());
        MemorySegment raw = arena.allocate(FrameDescriptor.BYTES);
        assertEquals(0, hal_h.lsh_fd_encode(f, raw));
        FrameDescriptor d = FrameDescriptor.at(raw, 0);
        assertEquals(v, new Fd(d.format(), d.address(), d.offset(), d.length(), d.cmd(), d.dd(), d.pid(), d.bpid(),
                d.eliodn()));
    }

    @Test
    void valuesBeyondTheirFieldsAreRefusedOnBothSides() {
        MemorySegment raw = arena.allocate(FrameDescriptor.BYTES);
        FrameDescriptor d = FrameDescriptor.at(raw, 0).clear();
        assertThrows(IllegalArgumentException.class, () -> d.address(FrameDescriptor.ADDRESS_MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> d.offset(FrameDescriptor.OFFSET_MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> d.length(FrameDescriptor.LENGTH_MAX + 1));
        d.format(FdFormat.SG_BIG);
        assertThrows(IllegalArgumentException.class, () -> d.offset(1));
        d.length(FrameDescriptor.LENGTH_BIG_MAX);
        assertThrows(IllegalArgumentException.class, () -> d.pid(64));
        MemorySegment f = lsh_fd_fields.allocate(arena);
        lsh_fd_fields.addr(f, FrameDescriptor.ADDRESS_MAX + 1);
        assertEquals(-22, hal_h.lsh_fd_encode(f, raw));
        MemorySegment table = arena.allocate(SgEntry.BYTES);
        SgEntry e = SgEntry.at(table, 0);
        assertThrows(IllegalArgumentException.class, () -> e.length(SgEntry.LENGTH_MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> e.offset(SgEntry.OFFSET_MAX + 1));
        MemorySegment b = arena.allocate(BmBuffer.BYTES);
        assertThrows(IllegalArgumentException.class, () -> BmBuffer.at(b, 0).address(BmBuffer.ADDRESS_MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> BmBuffer.at(b, 0).bpid(BmBuffer.POOL_MAX));
    }

    record Sg(long address, int length, int offset, boolean extension, boolean last, int bpid) {
    }

    static Stream<Arguments> entries() {
        Random random = new Random(7);
        List<Arguments> cases = new ArrayList<>(List.of(Arguments.of(new Sg(0, 0, 0, false, false, 0)),
                Arguments.of(new Sg(FrameDescriptor.ADDRESS_MAX, SgEntry.LENGTH_MAX, SgEntry.OFFSET_MAX, true, true, 0xFF)),
                Arguments.of(new Sg(0xFF_0000_0000L, 1, 1, false, true, FrameDescriptor.BPID_NONE)),
                Arguments.of(new Sg(0xFFFF_FFFFL, SgEntry.LENGTH_MAX, 0, true, false, 63))));
        for (int i = 0; i < 8; i++) {
            cases.add(Arguments.of(new Sg(random.nextLong(FrameDescriptor.ADDRESS_MAX + 1),
                    random.nextInt(SgEntry.LENGTH_MAX + 1), random.nextInt(SgEntry.OFFSET_MAX + 1), random.nextBoolean(),
                    random.nextBoolean(), random.nextInt(256))));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("entries")
    void anSgEntryAgreesBetweenJavaAndC(Sg v) {
        MemorySegment raw = arena.allocate(SgEntry.BYTES);
        SgEntry.at(raw, 0).address(v.address()).length(v.length()).offset(v.offset()).extension(v.extension())
                .last(v.last()).bpid(v.bpid());
        MemorySegment f = lsh_sg_fields.allocate(arena);
        hal_h.lsh_sg_decode(raw, f);
        assertEquals(v, new Sg(lsh_sg_fields.addr(f), lsh_sg_fields.length(f), Short.toUnsignedInt(lsh_sg_fields.offset(f)),
                lsh_sg_fields.extension(f) == 1, lsh_sg_fields.final_(f) == 1, Byte.toUnsignedInt(lsh_sg_fields.bpid(f))));

        MemorySegment back = arena.allocate(SgEntry.BYTES);
        assertEquals(0, hal_h.lsh_sg_encode(f, back));
        SgEntry e = SgEntry.at(back, 0);
        assertEquals(v, new Sg(e.address(), e.length(), e.offset(), e.extension(), e.last(), e.bpid()));
        assertEquals(-1L, raw.mismatch(back), "the same 16 bytes");
    }

    @Test
    void aBmanBufferAgreesBetweenJavaAndCAtItsEdges() {
        for (long address : new long[] { 0, 1, 0xFFFF_FFFFL, 1L << 32, BmBuffer.ADDRESS_MAX }) {
            for (int bpid : new int[] { 0, 1, BmBuffer.POOL_MAX - 1 }) {
                MemorySegment raw = arena.allocate(BmBuffer.BYTES);
                BmBuffer.at(raw, 0).address(address).bpid(bpid);
                MemorySegment f = lsh_bm_fields.allocate(arena);
                hal_h.lsh_bm_decode(raw, f);
                assertEquals(address, lsh_bm_fields.addr(f));
                assertEquals(bpid, Byte.toUnsignedInt(lsh_bm_fields.bpid(f)));
                MemorySegment back = arena.allocate(BmBuffer.BYTES);
                assertEquals(0, hal_h.lsh_bm_encode(f, back));
                assertEquals(-1L, raw.mismatch(back));
            }
        }
    }
}
