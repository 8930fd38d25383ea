// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.io.IOException;
import java.nio.channels.FileChannel;

import org.layerstore.datapath.FileRange;
import org.layerstore.netstack.buffer.PayloadPiece;

/**
 * Makes the payload pieces of a file body in the kind its {@link Link} sends without a CPU copy: pages
 * mapped for the kernel's sendmsg ({@link MappedFilePieces}) or pages pinned and registered for the frame
 * manager's DMA ({@link FilePieces}). The Netty transport asks its link for one and never learns which.
 */
public interface FilePieceSource {

    /**
     * The piece of {@code file} at {@code range}; its release (the peer's ACK, or the connection's end)
     * gives back whatever it holds.
     *
     * @throws IOException when the range cannot be mapped (a file that shrank) or made sendable
     */
    PayloadPiece piece(FileChannel file, FileRange range) throws IOException;
}
