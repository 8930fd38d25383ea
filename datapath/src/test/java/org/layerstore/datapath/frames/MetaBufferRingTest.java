// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.testing.TestFiles;

class MetaBufferRingTest {

    @TempDir
    Path dir;

    private FileMapping mapping() throws IOException {
        Path file = dir.resolve("m.bin");
        TestFiles.create(file, 10_000, 2);
        try (FileChannel in = FileChannel.open(file)) {
            return FileMapping.map(in, FileRange.whole(10_000), PageSize.system());
        }
    }

    @Test
    void aFullRingPushesBackUntilAConfirmationReleasesASlot() throws Exception {
        MetaBufferRing ring = new MetaBufferRing(2);
        try (FileMapping mapping = mapping()) {
            MetaBuffer first = ring.tryBuild(0, 0, 1460, 0x1000L * 1, mapping).orElseThrow();
            MetaBuffer second = ring.tryBuild(1, 1460, 1460, 0x1000L * 2, mapping).orElseThrow();
            assertTrue(ring.tryBuild(2, 2920, 1460, 0x1000L * 3, mapping).isEmpty(), "third frame refused: ring busy");
            assertTrue(ring.awaitBuild(2, 2920, 1460, 0x1000L * 3, mapping, 10, TimeUnit.MILLISECONDS).isEmpty());
            assertEquals(2, ring.busyRefusals());
            first.enqueued();
            first.confirmed();
            first.release();
            assertEquals(1, ring.inFlight());
            MetaBuffer third = ring.tryBuild(2, 2920, 1460, 0x1000L * 3, mapping).orElseThrow();
            second.enqueued();
            second.rejected(0x02000000);
            assertEquals(0x02000000, second.rejectionStatus());
            second.release();
            third.release();
            assertEquals(0, ring.inFlight());
        }
    }

    @Test
    void pagesStayMappedUntilTheLastFrameIsConfirmedEvenAfterTheOwnerClosed() throws Exception {
        MetaBufferRing ring = new MetaBufferRing(4);
        FileMapping mapping = mapping();
        MetaBuffer frame = ring.tryBuild(0, 0, 1460, 0x1000L * 1, mapping).orElseThrow();
        frame.enqueued();
        mapping.close();
        assertFalse(mapping.isUnmapped(), "the hardware may still read the pages");
        assertThrows(IllegalStateException.class, frame::release, "release while enqueued is refused");
        frame.confirmed();
        frame.release();
        assertTrue(mapping.isUnmapped());
        assertThrows(IllegalStateException.class, () -> ring.tryBuild(1, 1460, 1460, 0x1000L * 2, mapping));
    }

    @Test
    void theLifecycleOnlyMovesForward() throws Exception {
        MetaBufferRing ring = new MetaBufferRing(1);
        try (FileMapping mapping = mapping()) {
            MetaBuffer frame = ring.tryBuild(0, 0, 1460, 0x1000L * 1, mapping).orElseThrow();
            assertThrows(IllegalStateException.class, frame::confirmed);
            frame.enqueued();
            assertThrows(IllegalStateException.class, frame::enqueued);
            frame.confirmed();
            assertThrows(IllegalStateException.class, () -> frame.rejected(1));
            frame.release();
            assertEquals(MetaBuffer.State.RELEASED, frame.state());
            assertThrows(IllegalStateException.class, frame::release);
        }
    }
}
