// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;

/**
 * The TCP options this stack understands (RFC 9293 §3.2, RFC 7323, RFC 2018), as parsed from a segment or
 * to be written into one. Absent values are {@link #ABSENT}.
 *
 * <p>Parsing never throws: an option whose length runs past the header, or a length below 2, ends the
 * parse as {@link Parse#MALFORMED} (RFC 9293 §3.1, MUST-7: handle an illegal option length without
 * crashing); a known option with the wrong length is skipped and counted as {@link Parse#BAD_LENGTH};
 * unknown options are skipped (MUST-6) and counted.
 */
public final class TcpOptions {

    public static final int ABSENT = -1;
    public static final int KIND_END = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;
    /** RFC 7323 §2.3: a shift above 14 is used as 14. */
    public static final int MAX_WINDOW_SHIFT = 14;
    public static final int MAX_SACK_BLOCKS = 4;

    /** How well the option field parsed. */
    public enum Parse {
        OK, BAD_LENGTH, MALFORMED
    }

    public int mss = ABSENT;
    public int windowShift = ABSENT;
    public boolean sackPermitted;
    public boolean timestamps;
    public int tsVal;
    public int tsEcr;
    /** SACK blocks as left/right edge pairs. */
    public final int[] sackBlocks = new int[2 * MAX_SACK_BLOCKS];
    public int sackBlockCount;
    public int unknownOptions;
    public Parse parse = Parse.OK;

    /** Parses the options field {@code field} (the header bytes after the fixed 20). */
    public static TcpOptions parse(MemorySegment field) {
        TcpOptions o = new TcpOptions();
        long at = 0;
        long end = field.byteSize();
        while (at < end) {
            int kind = Bytes.u8(field, at);
            if (kind == KIND_END) {
                break;
            }
            if (kind == KIND_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                o.parse = Parse.MALFORMED;
                break;
            }
            int length = Bytes.u8(field, at + 1);
            if (length < 2 || at + length > end) {
                o.parse = Parse.MALFORMED;
                break;
            }
            o.read(kind, field.asSlice(at + 2, length - 2));
            at += length;
        }
        return o;
    }

    private void read(int kind, MemorySegment value) {
        long n = value.byteSize();
        switch (kind) {
            case KIND_MSS -> {
                if (n == 2) {
                    mss = Bytes.u16(value, 0);
                } else {
                    badLength();
                }
            }
            case KIND_WINDOW_SCALE -> {
                if (n == 1) {
                    windowShift = Math.min(Bytes.u8(value, 0), MAX_WINDOW_SHIFT);
                } else {
                    badLength();
                }
            }
            case KIND_SACK_PERMITTED -> {
                if (n == 0) {
                    sackPermitted = true;
                } else {
                    badLength();
                }
            }
            case KIND_SACK -> {
                if (n > 0 && n % 8 == 0 && n / 8 <= MAX_SACK_BLOCKS) {
                    sackBlockCount = (int) (n / 8);
                    for (int i = 0; i < 2 * sackBlockCount; i++) {
                        sackBlocks[i] = Bytes.u32(value, 4L * i);
                    }
                } else {
                    badLength();
                }
            }
            case KIND_TIMESTAMPS -> {
                if (n == 8) {
                    timestamps = true;
                    tsVal = Bytes.u32(value, 0);
                    tsEcr = Bytes.u32(value, 4);
                } else {
                    badLength();
                }
            }
            default -> unknownOptions++;
        }
    }

    private void badLength() {
        if (parse == Parse.OK) {
            parse = Parse.BAD_LENGTH;
        }
    }

    /** Bytes {@link #write} takes: each option aligned on 4 with NOPs (RFC 9293 §3.2 padding). */
    public int encodedLength() {
        int n = 0;
        if (mss != ABSENT) {
            n += 4;
        }
        if (sackPermitted || timestamps) {
            n += timestamps ? 12 : 4;
        }
        if (windowShift != ABSENT) {
            n += 4;
        }
        if (sackBlockCount > 0) {
            n += 4 + 8 * sackBlockCount;
        }
        return n;
    }

    /** Writes the options at {@code at} of {@code header}; returns the bytes written ({@link #encodedLength}). */
    public int write(MemorySegment header, long at) {
        long p = at;
        if (mss != ABSENT) {
            Bytes.u8(header, p, KIND_MSS);
            Bytes.u8(header, p + 1, 4);
            Bytes.u16(header, p + 2, mss);
            p += 4;
        }
        if (timestamps) {
            // SACK-permitted shares the timestamps' alignment words, as Linux lays them out.
            Bytes.u8(header, p, sackPermitted ? KIND_SACK_PERMITTED : KIND_NOP);
            Bytes.u8(header, p + 1, sackPermitted ? 2 : KIND_NOP);
            Bytes.u8(header, p + 2, KIND_TIMESTAMPS);
            Bytes.u8(header, p + 3, 10);
            Bytes.u32(header, p + 4, tsVal);
            Bytes.u32(header, p + 8, tsEcr);
            p += 12;
        } else if (sackPermitted) {
            Bytes.u8(header, p, KIND_NOP);
            Bytes.u8(header, p + 1, KIND_NOP);
            Bytes.u8(header, p + 2, KIND_SACK_PERMITTED);
            Bytes.u8(header, p + 3, 2);
            p += 4;
        }
        if (windowShift != ABSENT) {
            Bytes.u8(header, p, KIND_NOP);
            Bytes.u8(header, p + 1, KIND_WINDOW_SCALE);
            Bytes.u8(header, p + 2, 3);
            Bytes.u8(header, p + 3, windowShift);
            p += 4;
        }
        if (sackBlockCount > 0) {
            Bytes.u8(header, p, KIND_NOP);
            Bytes.u8(header, p + 1, KIND_NOP);
            Bytes.u8(header, p + 2, KIND_SACK);
            Bytes.u8(header, p + 3, 2 + 8 * sackBlockCount);
            for (int i = 0; i < 2 * sackBlockCount; i++) {
                Bytes.u32(header, p + 4 + 4L * i, sackBlocks[i]);
            }
            p += 4 + 8L * sackBlockCount;
        }
        return (int) (p - at);
    }
}
