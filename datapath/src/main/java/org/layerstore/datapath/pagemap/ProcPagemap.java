// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.pagemap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A process's {@code /proc/<pid>/pagemap}, read with positional reads (pread): entry {@code n} is the
 * 8 bytes at offset {@code 8 n}, in the machine's byte order. Safe for concurrent readers (concurrent
 * requests translate their ranges): reads share one buffer, one at a time.
 */
public final class ProcPagemap implements PagemapSource {

    /** Entries read per pread: 512 KiB of entries describe 256 MiB of 4 KiB pages. */
    private static final int ENTRIES_PER_READ = 65536;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(ENTRIES_PER_READ * Long.BYTES).order(ByteOrder.nativeOrder());

    private ProcPagemap(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    /** This process's pagemap. */
    public static ProcPagemap self() throws IOException {
        return open(Path.of("/proc/self/pagemap"));
    }

    /** The pagemap at {@code path} ({@code /proc/<pid>/pagemap}). */
    public static ProcPagemap open(Path path) throws IOException {
        try {
            return new ProcPagemap(path);
        } catch (IOException e) {
            throw new IOException("cannot open " + path + " (is /proc mounted, and is the process ours?): " + e, e);
        }
    }

    @Override
    public synchronized void read(long firstPage, long[] into, int offset, int count) throws IOException {
        int done = 0;
        while (done < count) {
            int batch = Math.min(ENTRIES_PER_READ, count - done);
            buffer.clear().limit(batch * Long.BYTES);
            long position = (firstPage + done) * Long.BYTES;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + buffer.position());
                if (n <= 0) {
                    throw new IOException(path + " ended at entry " + (firstPage + done) + " while reading " + count
                            + " entries from page 0x" + Long.toHexString(firstPage));
                }
            }
            buffer.flip();
            buffer.asLongBuffer().get(into, offset + done, batch);
            done += batch;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
