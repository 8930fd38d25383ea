// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.io.IOException;

import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;

/**
 * What every file body the appliance hands Netty shares, whichever way it sends the bytes (this stack's
 * pieces, or a datapath engine on the kernel's socket): a range of an {@link OpenFile} the region owns,
 * Netty's reference counting with {@link FileRegion}'s own return types, and one release of the file. A
 * subclass says how far it is ({@link #transferred}) and sends ({@link #transferTo}).
 */
public abstract class FileRangeRegion extends AbstractReferenceCounted implements FileRegion {

    private static final Logger LOG = LoggerFactory.getLogger(FileRangeRegion.class);

    private final OpenFile file;
    private final FileRange range;

    /** Takes ownership of {@code file}: {@link #closeFile} closes it. */
    protected FileRangeRegion(OpenFile file, FileRange range) {
        this.file = file;
        this.range = range;
    }

    protected final OpenFile file() {
        return file;
    }

    protected final FileRange range() {
        return range;
    }

    @Override
    public final long position() {
        return range.offset();
    }

    @Override
    public final long count() {
        return range.length();
    }

    @Override
    @Deprecated
    public final long transfered() {
        return transferred();
    }

    /** Closes the file; a failure is logged, never thrown into Netty's release of the region. */
    protected final void closeFile() {
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("closing {} after sending {}: {}", file, range, e.toString());
        }
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }
}
