// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.lang.foreign.MemorySegment;

import org.layerstore.netstack.tcp.CloseReason;
import org.layerstore.netstack.tcp.TcpConnection;
import org.layerstore.netstack.tcp.TcpHandler;

/**
 * The stack's handler of one connection to a {@link NetStackServerChannel}: at the end of the handshake
 * it makes the connection's channel, then passes every event to it.
 */
final class AcceptedConnection implements TcpHandler {

    private final NetStackServerChannel server;
    private NetStackChannel channel;

    AcceptedConnection(NetStackServerChannel server) {
        this.server = server;
    }

    @Override
    public void onOpen(TcpConnection connection) {
        channel = server.accept(connection);
    }

    @Override
    public void onData(TcpConnection connection, MemorySegment data) {
        if (channel != null) {
            channel.received(data);
        }
    }

    @Override
    public void onWritable(TcpConnection connection) {
        if (channel != null) {
            channel.writable();
        }
    }

    @Override
    public void onPeerClosed(TcpConnection connection) {
        if (channel != null) {
            channel.peerClosed();
        }
    }

    @Override
    public void onClosed(TcpConnection connection, CloseReason reason) {
        if (channel != null) {
            channel.connectionClosed(reason);
        }
    }
}
