// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.libc.Libc;

/**
 * An emulated port's wire for the frame-manager tests: a pcap file the port writes every frame it sends to,
 * read back frame by frame as a receiving host would see them. The tests' own parser and checksum, so the
 * emulator's gathering and DTC are judged by other code than their own.
 */
final class PcapWire implements AutoCloseable {

    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;

    private final int fd;
    private final FileChannel reader;
    private long readAt = FILE_HEADER;

    private PcapWire(Path file) throws IOException {
        this.fd = Libc.open(file.toString(), libc_h.O_WRONLY() | libc_h.O_CREAT() | libc_h.O_CLOEXEC());
        this.reader = FileChannel.open(file, StandardOpenOption.READ);
    }

    /** A new, empty capture file in {@code dir}. */
    static PcapWire in(Path dir) {
        try {
            return new PcapWire(java.nio.file.Files.createTempFile(dir, "wire-", ".pcap"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The descriptor to bind a port to ({@link TxTarget#pcap}). */
    int fd() {
        return fd;
    }

    /** The frames sent since the last call, whole (padded to 60 bytes as the MAC pads them). */
    List<byte[]> frames() {
        List<byte[]> frames = new ArrayList<>();
        try {
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.nativeOrder());
            while (reader.read(header.clear(), readAt) == RECORD_HEADER) {
                int length = header.getInt(8);
                ByteBuffer frame = ByteBuffer.allocate(length);
                if (reader.read(frame, readAt + RECORD_HEADER) != length) {
                    break;
                }
                frames.add(frame.array());
                readAt += RECORD_HEADER + length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frames;
    }

    /**
     * The TCP payload of the frames sent since the last call, in order, as the receiving host would take it:
     * every frame must be IPv4/TCP with good IPv4 and TCP checksums, or the test fails.
     */
    byte[] payloads() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames()) {
            ByteBuffer b = ByteBuffer.wrap(frame);
            assertEquals(0x0800, b.getShort(12) & 0xFFFF, "an IPv4 frame");
            int ihl = (b.get(14) & 0x0F) * 4;
            int total = b.getShort(16) & 0xFFFF;
            int tcp = 14 + ihl;
            int offset = ((b.get(tcp + 12) & 0xFF) >> 4) * 4;
            assertEquals(0, checksum(frame, 14, ihl, 0), "IPv4 header checksum");
            long pseudo = 6 + (total - ihl);
            for (int i = 14 + 12; i < 14 + 20; i += 2) {
                pseudo += b.getShort(i) & 0xFFFF;
            }
            assertEquals(0, checksum(frame, tcp, total - ihl, pseudo), "TCP checksum");
            out.write(frame, tcp + offset, total - ihl - offset);
        }
        return out.toByteArray();
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code from}, starting from {@code sum}. */
    static int checksum(byte[] data, int from, int length, long sum) {
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[from + i] & 0xFF) << 8) | (data[from + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (data[from + length - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    @Override
    public void close() {
        Libc.close(fd);
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
