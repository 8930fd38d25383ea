// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.io.IOException;
import java.nio.channels.FileChannel;

import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.netstack.buffer.PayloadPiece;

/**
 * Pieces over a file's pages mapped read-only and faulted in, for a link whose kernel copies each frame
 * at sendmsg ({@link PacketSocketLink}): nothing is pinned, and the mapping is unmapped at release.
 */
public final class MappedFilePieces implements FilePieceSource {

    public static final MappedFilePieces INSTANCE = new MappedFilePieces();

    private final int pageSize = PageSize.system();

    private MappedFilePieces() {
    }

    @Override
    public PayloadPiece piece(FileChannel file, FileRange range) throws IOException {
        FileMapping mapping = FileMapping.map(file, range, pageSize);
        try {
            mapping.faultIn();
        } catch (IOException e) {
            mapping.close();
            throw e;
        }
        return PayloadPiece.of(mapping.payload(), mapping::close);
    }
}
