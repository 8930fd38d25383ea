// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.dpaa;

import static org.layerstore.hal.dpaa.BigEndianFields.require;
import static org.layerstore.hal.dpaa.BigEndianFields.u16;
import static org.layerstore.hal.dpaa.BigEndianFields.u32;
import static org.layerstore.hal.dpaa.BigEndianFields.u8;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_qm_sg_entry;

/**
 * A scatter/gather table entry ({@code struct qm_sg_entry}, 16 bytes, big-endian) as a flyweight over
 * memory the caller owns; {@link #moveTo} walks a table.
 *
 * <pre>
 *  byte  0..2       3           4..7         8..11               12     13     14..15
 *       reserved    addr[39:32] addr[31:0]   E|F|length[29:0]    rsvd   BPID   offset[12:0]
 * </pre>
 */
public final class SgEntry {

    public static final long BYTES = lsh_qm_sg_entry.layout().byteSize();
    /** Entries per frame the drivers use; the emulator refuses a table without a final bit within them. */
    public static final int MAX_ENTRIES = hal_h.LSH_SG_MAX_ENTRIES();
    public static final int LENGTH_MAX = hal_h.LSH_SG_LENGTH_MASK();
    public static final int OFFSET_MAX = hal_h.LSH_SG_OFFSET_MASK();

    private static final long RESERVED1 = lsh_qm_sg_entry.reserved1$offset();
    private static final long ADDR_HI = lsh_qm_sg_entry.addr_hi$offset();
    private static final long ADDR_LO = lsh_qm_sg_entry.addr_lo$offset();
    private static final long CFG = lsh_qm_sg_entry.cfg$offset();
    private static final long BPID = lsh_qm_sg_entry.bpid$offset();
    private static final long OFFSET = lsh_qm_sg_entry.offset$offset();
    private static final int EXT = hal_h.LSH_SG_EXT();
    private static final int FIN = hal_h.LSH_SG_FIN();

    private MemorySegment segment;
    private long base;

    private SgEntry() {
    }

    /** A view of entry {@code index} of the table in {@code table}. */
    public static SgEntry at(MemorySegment table, long index) {
        return new SgEntry().moveTo(Objects.requireNonNull(table), index);
    }

    /** Moves this view to entry {@code index} of {@code table}; returns this. */
    public SgEntry moveTo(MemorySegment table, long index) {
        this.base = BigEndianFields.element(table, index, BYTES, "S/G entry");
        this.segment = table;
        return this;
    }

    public MemorySegment segment() {
        return segment.asSlice(base, BYTES);
    }

    /** One whole entry: {@code length} bytes at {@code address + offset}, not from a pool. */
    public SgEntry set(long address, int offset, int length, boolean last) {
        segment().fill((byte) 0);
        return address(address).offset(offset).length(length).bpid(FrameDescriptor.BPID_NONE).last(last);
    }

    /** The 40-bit bus address. */
    public long address() {
        return (long) u8(segment, base + ADDR_HI) << 32 | Integer.toUnsignedLong(u32(segment, base + ADDR_LO));
    }

    public SgEntry address(long value) {
        require(value >= 0 && value <= FrameDescriptor.ADDRESS_MAX, "address", value, FrameDescriptor.ADDRESS_MAX);
        for (int i = 0; i < ADDR_HI - RESERVED1; i++) {
            u8(segment, base + RESERVED1 + i, 0);
        }
        u8(segment, base + ADDR_HI, (int) (value >>> 32));
        u32(segment, base + ADDR_LO, (int) value);
        return this;
    }

    /** True when a reserved address byte (bits 63..40) is set: an address the hardware cannot reach. */
    public boolean reservedAddressBitsSet() {
        for (int i = 0; i < ADDR_HI - RESERVED1; i++) {
            if (u8(segment, base + RESERVED1 + i) != 0) {
                return true;
            }
        }
        return false;
    }

    public int length() {
        return u32(segment, base + CFG) & LENGTH_MAX;
    }

    public SgEntry length(int value) {
        require(value >= 0 && value <= LENGTH_MAX, "S/G length", value, LENGTH_MAX);
        u32(segment, base + CFG, (u32(segment, base + CFG) & ~LENGTH_MAX) | value);
        return this;
    }

    /** The extension bit: the entry points at a further table (the drivers and the emulator refuse it). */
    public boolean extension() {
        return (u32(segment, base + CFG) & EXT) != 0;
    }

    public SgEntry extension(boolean value) {
        return flag(EXT, value);
    }

    /** The final bit: the last entry of the frame. */
    public boolean last() {
        return (u32(segment, base + CFG) & FIN) != 0;
    }

    public SgEntry last(boolean value) {
        return flag(FIN, value);
    }

    public int bpid() {
        return u8(segment, base + BPID);
    }

    public SgEntry bpid(int value) {
        require(value >= 0 && value <= 0xFF, "BPID", value, 0xFF);
        u8(segment, base + BPID, value);
        return this;
    }

    /** The 13-bit offset of the data in the entry's buffer. */
    public int offset() {
        return u16(segment, base + OFFSET) & OFFSET_MAX;
    }

    public SgEntry offset(int value) {
        require(value >= 0 && value <= OFFSET_MAX, "S/G offset", value, OFFSET_MAX);
        u16(segment, base + OFFSET, value);
        return this;
    }

    private SgEntry flag(int bit, boolean value) {
        int cfg = u32(segment, base + CFG);
        u32(segment, base + CFG, value ? cfg | bit : cfg & ~bit);
        return this;
    }

    @Override
    public String toString() {
        return "SgEntry[address=0x" + Long.toHexString(address()) + " offset=" + offset() + " length=" + length()
                + (extension() ? " E" : "") + (last() ? " F" : "") + " bpid=" + bpid() + "]";
    }
}
