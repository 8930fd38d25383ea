// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.dpaa;

import static org.layerstore.hal.dpaa.BigEndianFields.require;
import static org.layerstore.hal.dpaa.BigEndianFields.u32;
import static org.layerstore.hal.dpaa.BigEndianFields.u8;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_qm_fd;

/**
 * A QMan frame descriptor ({@code struct qm_fd}, 16 bytes, big-endian) as a flyweight over memory the
 * caller owns: a view of one descriptor in a segment, movable with {@link #moveTo} so one instance can
 * walk an array of descriptors without allocating.
 *
 * <pre>
 *  byte  0      1      2        3           4..7         8..11                 12..15
 *       DD|PID  BPID   ELIODN   addr[39:32] addr[31:0]   format|offset|length  cmd / status
 * </pre>
 * Offsets come from the generated bindings, masks from the C header (through the bindings): nothing is
 * retyped here. Setters refuse values that do not fit their field.
 */
public final class FrameDescriptor {

    /** Size of one descriptor. */
    public static final long BYTES = lsh_qm_fd.layout().byteSize();

    /** Buffer pool id meaning "not from a pool": the hardware never releases the buffer. */
    public static final int BPID_NONE = hal_h.LSH_BPID_NONE();
    /** Largest bus address a descriptor or S/G entry holds (40 bits). */
    public static final long ADDRESS_MAX = hal_h.LSH_ADDR_MASK();
    public static final int OFFSET_MAX = hal_h.LSH_FD_OFFSET_MAX();
    public static final int LENGTH_MAX = hal_h.LSH_FD_LENGTH_MASK();
    public static final int LENGTH_BIG_MAX = hal_h.LSH_FD_LENGTH_BIG_MASK();

    /** TX buffer headroom before the data or S/G table: private data, then the parse results. */
    public static final int HEADROOM = hal_h.LSH_TX_HEADROOM();
    /** Where FMan reads the parse results (DTC with RPD), from the buffer's start. */
    public static final int PARSE_RESULT_OFFSET = hal_h.LSH_TX_PARSE_RESULT_OFFSET();

    public static final int CMD_FCO = hal_h.LSH_FD_CMD_FCO();
    public static final int CMD_RPD = hal_h.LSH_FD_CMD_RPD();
    public static final int CMD_UPD = hal_h.LSH_FD_CMD_UPD();
    public static final int CMD_DTC = hal_h.LSH_FD_CMD_DTC();
    public static final int CMD_CONFIRM_FQID_MASK = hal_h.LSH_FD_CMD_CFQ_MASK();

    public static final int STATUS_UNSUPPORTED_FORMAT = hal_h.LSH_FD_STATUS_UNSUPPORTED_FORMAT();
    public static final int STATUS_LENGTH = hal_h.LSH_FD_STATUS_LENGTH();
    public static final int STATUS_DMA = hal_h.LSH_FD_STATUS_DMA();
    /** In a confirmation: the L4 checksum was not calculated (same bit as DTC). */
    public static final int STATUS_DCL4C = hal_h.LSH_FD_STATUS_DCL4C();
    /** The status bits that mean the frame was not transmitted. */
    public static final int STATUS_TX_ERRORS = hal_h.LSH_FD_STATUS_TX_ERRORS();
    /** RX status: the frame was longer than the buffer room or the MAC maximum and was cut. */
    public static final int STATUS_RX_SIZE = hal_h.LSH_FD_STATUS_RX_SIZE();
    /** RX status: MAC error (FIFO overflow, FCS). */
    public static final int STATUS_RX_PHYSICAL = hal_h.LSH_FD_STATUS_RX_PHYSICAL();
    /** RX status: the parser found a malformed header. */
    public static final int STATUS_RX_PARSE_HEADER = hal_h.LSH_FD_STATUS_RX_PRS_HDR();
    /** RX status: the parser validated the L4 checksum; the parse results' l4r says the verdict. */
    public static final int STATUS_L4_CHECKSUM_VALIDATED = hal_h.LSH_FD_STATUS_L4CV();
    /** RX status bits that make a received frame an error (dpaa_eth's FM_FD_STAT_RX_ERRORS). */
    public static final int STATUS_RX_ERRORS = hal_h.LSH_FD_STATUS_RX_ERRORS();

    private static final long DD_PID = lsh_qm_fd.dd_pid$offset();
    private static final long BPID = lsh_qm_fd.bpid$offset();
    private static final long ELIODN = lsh_qm_fd.eliodn$offset();
    private static final long ADDR_HI = lsh_qm_fd.addr_hi$offset();
    private static final long ADDR_LO = lsh_qm_fd.addr_lo$offset();
    private static final long CFG = lsh_qm_fd.cfg$offset();
    private static final long CMD = lsh_qm_fd.cmd$offset();

    private static final int DD_MASK = hal_h.LSH_FD_DD_MASK();
    private static final int DD_SHIFT = hal_h.LSH_FD_DD_SHIFT();
    private static final int PID_MASK = hal_h.LSH_FD_PID_MASK();
    private static final int ELIODN_MASK = hal_h.LSH_FD_ELIODN_MASK();
    private static final int ELIODN_SHIFT = hal_h.LSH_FD_ELIODN_SHIFT();
    private static final int FORMAT_MASK = hal_h.LSH_FD_FORMAT_MASK();
    private static final int OFFSET_MASK = hal_h.LSH_FD_OFFSET_MASK();
    private static final int OFFSET_SHIFT = hal_h.LSH_FD_OFFSET_SHIFT();

    private MemorySegment segment;
    private long base;

    private FrameDescriptor(MemorySegment segment, long base) {
        this.segment = segment;
        this.base = base;
    }

    /** A view of descriptor number {@code index} in {@code array} (a segment of descriptors). */
    public static FrameDescriptor at(MemorySegment array, long index) {
        return new FrameDescriptor(Objects.requireNonNull(array), 0).moveTo(array, index);
    }

    /** Moves this view to descriptor {@code index} of {@code array}; returns this. */
    public FrameDescriptor moveTo(MemorySegment array, long index) {
        this.base = BigEndianFields.element(array, index, BYTES, "descriptor");
        this.segment = array;
        return this;
    }

    /** The 16 bytes this view reads and writes. */
    public MemorySegment segment() {
        return segment.asSlice(base, BYTES);
    }

    /** Zeroes the descriptor (contiguous format, address 0, BPID 0). */
    public FrameDescriptor clear() {
        segment().fill((byte) 0);
        return this;
    }

    /** A contiguous frame: {@code length} bytes at {@code address + offset}, not from a pool, no command. */
    public FrameDescriptor contiguous(long address, int offset, int length) {
        return clear().bpid(BPID_NONE).address(address).format(FdFormat.CONTIG).offset(offset).length(length);
    }

    /** A scatter/gather frame whose table is at {@code address + offset}, {@code length} bytes in total. */
    public FrameDescriptor scatterGather(long address, int offset, int length) {
        return clear().bpid(BPID_NONE).address(address).format(FdFormat.SG).offset(offset).length(length);
    }

    public int dd() {
        return (u8(segment, base + DD_PID) & DD_MASK) >>> DD_SHIFT;
    }

    public FrameDescriptor dd(int value) {
        require(value >= 0 && value <= DD_MASK >>> DD_SHIFT, "DD", value, DD_MASK >>> DD_SHIFT);
        u8(segment, base + DD_PID, (u8(segment, base + DD_PID) & ~DD_MASK) | value << DD_SHIFT);
        return this;
    }

    public int pid() {
        return u8(segment, base + DD_PID) & PID_MASK;
    }

    public FrameDescriptor pid(int value) {
        require(value >= 0 && value <= PID_MASK, "PID", value, PID_MASK);
        u8(segment, base + DD_PID, (u8(segment, base + DD_PID) & ~PID_MASK) | value);
        return this;
    }

    public int bpid() {
        return u8(segment, base + BPID);
    }

    public FrameDescriptor bpid(int value) {
        require(value >= 0 && value <= 0xFF, "BPID", value, 0xFF);
        u8(segment, base + BPID, value);
        return this;
    }

    public int eliodn() {
        return (u8(segment, base + ELIODN) & ELIODN_MASK) >>> ELIODN_SHIFT;
    }

    public FrameDescriptor eliodn(int value) {
        require(value >= 0 && value <= ELIODN_MASK >>> ELIODN_SHIFT, "ELIODN", value, ELIODN_MASK >>> ELIODN_SHIFT);
        u8(segment, base + ELIODN, value << ELIODN_SHIFT);
        return this;
    }

    /** The 40-bit bus address. */
    public long address() {
        return (long) u8(segment, base + ADDR_HI) << 32 | Integer.toUnsignedLong(u32(segment, base + ADDR_LO));
    }

    public FrameDescriptor address(long value) {
        require(value >= 0 && value <= ADDRESS_MAX, "address", value, ADDRESS_MAX);
        u8(segment, base + ADDR_HI, (int) (value >>> 32));
        u32(segment, base + ADDR_LO, (int) value);
        return this;
    }

    public FdFormat format() {
        return FdFormat.of(cfg());
    }

    /** Sets the format bits only; set the format before the offset and length it governs. */
    public FrameDescriptor format(FdFormat value) {
        cfg((cfg() & ~FORMAT_MASK) | value.word());
        return this;
    }

    /** The 9-bit offset of the contiguous and S/G formats; 0 for the big formats. */
    public int offset() {
        return format().big() ? 0 : (cfg() & OFFSET_MASK) >>> OFFSET_SHIFT;
    }

    public FrameDescriptor offset(int value) {
        if (format().big()) {
            require(value == 0, "offset of a " + format() + " descriptor", value, 0);
            return this;
        }
        require(value >= 0 && value <= OFFSET_MAX, "offset", value, OFFSET_MAX);
        cfg((cfg() & ~OFFSET_MASK) | value << OFFSET_SHIFT);
        return this;
    }

    /** The frame length: 20 bits, or 29 bits for the big formats and compound. */
    public int length() {
        return cfg() & lengthMask();
    }

    public FrameDescriptor length(int value) {
        int mask = lengthMask();
        require(value >= 0 && value <= mask, "length of a " + format() + " descriptor", value, mask);
        cfg((cfg() & ~mask) | value);
        return this;
    }

    /** The TX command word (before enqueue). */
    public int cmd() {
        return u32(segment, base + CMD);
    }

    public FrameDescriptor cmd(int value) {
        u32(segment, base + CMD, value);
        return this;
    }

    /** The status word of a confirmation (the same 32 bits as the command). */
    public int status() {
        return cmd();
    }

    /** Asks for the confirmation on {@code fqid} instead of the TX queue's default (FCO). */
    public FrameDescriptor confirmTo(int fqid) {
        require(fqid > 0 && fqid <= CMD_CONFIRM_FQID_MASK, "confirmation FQID", fqid, CMD_CONFIRM_FQID_MASK);
        return cmd((cmd() & ~CMD_CONFIRM_FQID_MASK) | CMD_FCO | fqid);
    }

    private int lengthMask() {
        return format().big() ? LENGTH_BIG_MAX : LENGTH_MAX;
    }

    private int cfg() {
        return u32(segment, base + CFG);
    }

    private void cfg(int value) {
        u32(segment, base + CFG, value);
    }

    @Override
    public String toString() {
        return "FrameDescriptor[" + format() + " address=0x" + Long.toHexString(address()) + " offset=" + offset()
                + " length=" + length() + " bpid=" + bpid() + " cmd=0x" + Integer.toHexString(cmd()) + "]";
    }
}
