// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerstore.datapath.Availability;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.stats.EngineStatistics;

class AutoEngineTest {

    /** An engine that says it cannot work here, the way a host without the capability answers. */
    private record Unavailable(String name, String reason) implements TransmitEngine {
        @Override
        public Availability availability() {
            return Availability.unavailable(reason);
        }

        @Override
        public Transfer open(OpenFile file, FileRange range) {
            throw new IllegalStateException(name + " is unavailable");
        }

        @Override
        public EngineStatistics statistics() {
            return new EngineStatistics(name);
        }
    }

    @Test
    void theFiveKernelEnginesAreTheOnesThereAreAndOnThisHostSendfileIsChosenFirst() {
        TransmitEngines engines = TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb"));
        assertEquals(List.of("copy", "mmap", "sendfile", "splice", "zerocopy", "auto"), engines.names());
        EngineChoice choice = engines.auto().choose(10L * 1024 * 1024);
        assertEquals("sendfile", choice.engine().name());
        assertEquals("sendfile for 10485760 bytes: no CPU copy, one syscall per call", choice.reason());
    }

    @Test
    void unavailableEnginesArePassedOverNamingWhy() {
        AutoEngine auto = new AutoEngine(List.of(new Unavailable("sendfile", "no sendfile on this kernel"),
                new Unavailable("splice", "pipes cannot be created"), new CopyEngine()));
        EngineChoice choice = auto.choose(100);
        assertEquals("copy", choice.engine().name());
        assertEquals("copy for 100 bytes: works everywhere; passed over: sendfile unavailable"
                + " (no sendfile on this kernel); splice unavailable (pipes cannot be created); zerocopy not in this build;"
                + " mmap not in this build", choice.reason());
    }

    @Test
    void mmapAndZerocopyAreChosenOnlyForRequestsLargeEnoughToPayForThemselves() {
        AutoEngine auto = new AutoEngine(List.of(new ZerocopyEngine(), new MmapEngine(), new CopyEngine()));
        assertEquals("copy", auto.choose(AutoEngine.MMAP_MIN_BYTES - 1).engine().name());
        assertEquals("mmap", auto.choose(AutoEngine.MMAP_MIN_BYTES).engine().name());
        assertEquals("zerocopy", auto.choose(AutoEngine.ZEROCOPY_MIN_BYTES).engine().name());
    }

    @Test
    void withNoUsableEngineTheChoiceFailsWithEveryReason() {
        AutoEngine auto = new AutoEngine(List.of(new Unavailable("copy", "test host without read(2)")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> auto.choose(1));
        assertTrue(e.getMessage().endsWith("copy unavailable (test host without read(2))"), e.getMessage());
    }
}
