// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void onThisHostSendfileIsChosenAndTheEmulatedOffloadIsPassedOverWithItsReason() {
        try (TransmitEngines engines = TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb"))) {
            EngineChoice choice = engines.auto().choose(10L * 1024 * 1024);
            assertEquals("sendfile", choice.engine().name());
            assertTrue(choice.reason().startsWith("sendfile for 10485760 bytes: no CPU copy"), choice.reason());
            assertTrue(choice.reason().contains("passed over: offload not for 10485760 bytes"), choice.reason());
        }
    }

    @Test
    void unavailableEnginesArePassedOverNamingWhy() {
        AutoEngine auto = new AutoEngine(List.of(new Unavailable("sendfile", "no sendfile on this kernel"),
                new Unavailable("splice", "pipes cannot be created"), new CopyEngine()));
        EngineChoice choice = auto.choose(100);
        assertEquals("copy", choice.engine().name());
        assertEquals("copy for 100 bytes: works everywhere; passed over: offload not in this build; sendfile unavailable"
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

    /** An engine that works here but refuses every range, as offload does when pinning is refused. */
    private record Refusing(String name) implements TransmitEngine {
        @Override
        public Availability availability() {
            return Availability.available("works here");
        }

        @Override
        public Transfer open(OpenFile file, FileRange range) throws EngineRefusedException {
            throw new EngineRefusedException("mlock refused (ENOMEM); RLIMIT_MEMLOCK is 65536 bytes");
        }

        @Override
        public EngineStatistics statistics() {
            return new EngineStatistics(name);
        }
    }

    @Test
    void anEngineThatRefusesTheRangeIsPassedOverForTheNextAndTheFallbackIsRecorded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f.bin");
        Files.write(file, new byte[5000]);
        AutoEngine auto = new AutoEngine(List.of(new Refusing("sendfile"), new CopyEngine()));
        try (OpenFile in = OpenFile.read(file); Transfer transfer = auto.open(in, FileRange.whole(5000))) {
            assertEquals(5000, transfer.remaining());
        }
        assertEquals(Map.of("sendfile refused a range: mlock refused (ENOMEM); RLIMIT_MEMLOCK is 65536 bytes", 1L),
                auto.statistics().snapshot().fallbacks());
        assertEquals(1, auto.statistics().snapshot().transfers());
    }

    @Test
    void withNoUsableEngineTheChoiceFailsWithEveryReason() {
        AutoEngine auto = new AutoEngine(List.of(new Unavailable("copy", "test host without read(2)")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> auto.choose(1));
        assertTrue(e.getMessage().endsWith("copy unavailable (test host without read(2))"), e.getMessage());
    }
}
