// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.dpaa;

import static org.layerstore.hal.dpaa.BigEndianFields.require;
import static org.layerstore.hal.dpaa.BigEndianFields.u16;
import static org.layerstore.hal.dpaa.BigEndianFields.u32;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_bm_buffer;

/**
 * A BMan buffer ({@code struct bm_buffer}, 8 bytes, big-endian) as a flyweight; acquire and release
 * move 1 to {@link #BURST_MAX} of them at a time.
 *
 * <pre>
 *  byte  0..1                  2..3          4..7
 *       reserved[15:8]|BPID    addr[47:32]   addr[31:0]
 * </pre>
 */
public final class BmBuffer {

    public static final long BYTES = lsh_bm_buffer.layout().byteSize();
    public static final int BURST_MAX = hal_h.LSH_BM_BURST_MAX();
    public static final int POOL_MAX = hal_h.LSH_BM_POOL_MAX();
    public static final long ADDRESS_MAX = hal_h.LSH_BM_ADDR_MASK();

    private static final long BPID = lsh_bm_buffer.bpid$offset();
    private static final long ADDR_HI = lsh_bm_buffer.addr_hi$offset();
    private static final long ADDR_LO = lsh_bm_buffer.addr_lo$offset();
    private static final int BPID_MASK = hal_h.LSH_BM_BPID_MASK();

    private MemorySegment segment;
    private long base;

    private BmBuffer() {
    }

    /** A view of buffer {@code index} of {@code array}. */
    public static BmBuffer at(MemorySegment array, long index) {
        return new BmBuffer().moveTo(Objects.requireNonNull(array), index);
    }

    public BmBuffer moveTo(MemorySegment array, long index) {
        this.base = BigEndianFields.element(array, index, BYTES, "buffer");
        this.segment = array;
        return this;
    }

    public MemorySegment segment() {
        return segment.asSlice(base, BYTES);
    }

    /** The 48-bit bus address. */
    public long address() {
        return (long) u16(segment, base + ADDR_HI) << 32 | Integer.toUnsignedLong(u32(segment, base + ADDR_LO));
    }

    public BmBuffer address(long value) {
        require(value >= 0 && value <= ADDRESS_MAX, "buffer address", value, ADDRESS_MAX);
        u16(segment, base + ADDR_HI, (int) (value >>> 32));
        u32(segment, base + ADDR_LO, (int) value);
        return this;
    }

    public int bpid() {
        return u16(segment, base + BPID) & BPID_MASK;
    }

    public BmBuffer bpid(int value) {
        require(value >= 0 && value < POOL_MAX, "BPID", value, POOL_MAX - 1);
        u16(segment, base + BPID, value);
        return this;
    }

    @Override
    public String toString() {
        return "BmBuffer[bpid=" + bpid() + " address=0x" + Long.toHexString(address()) + "]";
    }
}
