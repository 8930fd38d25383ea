// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;

import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.engine.AsyncCompletion;
import org.layerstore.datapath.engine.SocketDescriptor;
import org.layerstore.datapath.engine.Transfer;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.netstack.netty.FileRangeRegion;

/**
 * A file range carried by a datapath {@link Transfer}, written by Netty's epoll transport like any other
 * file region: Netty calls {@link #transferTo} when the socket is writable and the messages ahead of it
 * are flushed, so the response header always precedes the body. The transfer writes to the connection's
 * own descriptor ({@link SocketDescriptor}), never to Netty's wrapper channel, because sendfile, splice,
 * MSG_ZEROCOPY and the frame manager take descriptors. A return of 0 (socket buffer full) makes Netty
 * wait for EPOLLOUT; an exception fails the write and Netty closes the connection.
 *
 * <p>For engines that use the socket after {@link #transferTo} returns, the region works on its own
 * duplicate of the connection's descriptor and closes it last. Netty closes its descriptor before it
 * releases the regions still queued on a dying connection; without the duplicate, the zerocopy
 * completions read while closing, or the frames the frame manager still transmits, could reach another
 * connection that got the same descriptor number meanwhile. The other engines write only inside
 * {@link #transferTo}, which Netty never calls after closing, so they borrow Netty's descriptor and
 * save a dup and a close per response.
 *
 * <p>Netty removes the region once {@link #transferred()} reaches {@link #count()}: for {@code zerocopy}
 * that is the bytes the kernel took (its completions are collected while sending and when the transfer
 * closes). A region whose transfer waits for a device ({@link AsyncCompletion}: {@code offload}, counting
 * the bytes the frame manager confirmed) never reaches Netty's outbound buffer: {@link AsyncBodyDriver}
 * takes it at the head of the pipeline and drives it with {@link #sendMore} when the device signals.
 * Releasing the region, whether the transfer completed, failed or the peer reset the connection, closes
 * the transfer and the file exactly once.
 */
final class EngineFileRegion extends FileRangeRegion {

    private final Transfer transfer;
    private final SocketDescriptor socket;
    private final boolean ownSocket;

    /**
     * Takes ownership of {@code file} and {@code transfer}, and of {@code socket} when {@code ownSocket}
     * (a duplicate from {@link #duplicate}); otherwise the socket is Netty's, borrowed.
     */
    EngineFileRegion(OpenFile file, Transfer transfer, SocketDescriptor socket, boolean ownSocket) {
        super(file, transfer.range());
        this.transfer = transfer;
        this.socket = socket;
        this.ownSocket = ownSocket;
    }

    @Override
    public long transferred() {
        return transfer.transferred();
    }

    /** Ignores Netty's wrapper {@code target}: the bytes go to the connection's descriptor. */
    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        if (position != transfer.transferred()) {
            throw new IOException("Netty asked for position " + position + " of " + transfer.range() + " but "
                    + transfer.transferred() + " bytes are sent");
        }
        return transfer.transferTo(socket);
    }

    /** The transfer's device, when a device reports its progress rather than the socket's room. */
    Optional<AsyncCompletion> asyncCompletion() {
        return transfer instanceof AsyncCompletion device ? Optional.of(device) : Optional.empty();
    }

    /** Sends what the transfer can now, without Netty: the bytes completed by this call. */
    long sendMore() throws IOException {
        return transfer.transferTo(socket);
    }

    boolean isDone() {
        return transfer.isDone();
    }

    /** A duplicate of the connection's descriptor {@code fd}, for the region to own. */
    static SocketDescriptor duplicate(int fd, InetSocketAddress local, InetSocketAddress remote) throws IOException {
        try {
            return SocketDescriptor.of(Libc.duplicate(fd), local, remote);
        } catch (NativeCallException e) {
            throw new IOException("cannot duplicate the connection's descriptor " + fd + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void deallocate() {
        try {
            transfer.close();
        } finally {
            try {
                closeFile();
            } finally {
                socket.close();
                if (ownSocket) {
                    Libc.close(socket.fd());
                }
            }
        }
    }
}
