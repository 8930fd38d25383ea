// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.mapping.FileShrankException;
import org.layerstore.datapath.stats.EngineStatistics;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A body small enough to travel in the same write as its response header: read with one pread into a
 * buffer that follows the header in the connection's outbound queue, so Netty's one writev sends both,
 * in one TCP segment, where a header write then a sendfile make two system calls and two segments. nginx
 * gets one segment by corking the socket (tcp_nopush), at the cost of two setsockopt calls. The CPU
 * copies at most {@value #MAX_BYTES} bytes, counted under the {@code copy} engine.
 */
final class SmallBody {

    /** Up to this size a copy costs less than the extra system call and segment it saves. */
    static final int MAX_BYTES = 16 * 1024;

    private SmallBody() {
    }

    /** {@code length} bytes of {@code file} from {@code offset}, in a buffer from {@code allocator}. */
    static ByteBuf read(ByteBufAllocator allocator, OpenFile file, long offset, int length, EngineStatistics copy)
            throws IOException {
        ByteBuf body = allocator.directBuffer(length, length);
        try {
            MemorySegment target = MemorySegment.ofBuffer(body.internalNioBuffer(0, length));
            long done = 0;
            while (done < length) {
                long n = Libc.pread(file.fd(), target.asSlice(done), offset + done);
                copy.syscalls(1);
                if (n == 0) {
                    throw new FileShrankException("file shrank while reading [" + offset + ", " + (offset + length) + ") of "
                            + file + ": " + done + " bytes read");
                }
                done += n;
            }
            body.writerIndex(length);
            copy.moved(length, length);
            return body;
        } catch (NativeCallException e) {
            body.release();
            throw new IOException("reading " + length + " bytes at " + offset + " of " + file + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            body.release();
            throw e;
        }
    }
}
