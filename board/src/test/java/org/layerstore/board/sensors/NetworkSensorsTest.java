// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerstore.board.Fixtures;

class NetworkSensorsTest {

    private final List<NicReading> nics = new NetworkSensors(Fixtures.root("ls1046ardb")).read();

    @Test
    void everyInterfaceIsListedByName() {
        assertEquals(List.of("eth0", "eth1", "eth4", "lo"), nics.stream().map(NicReading::name).toList());
    }

    @Test
    void linkStateSpeedAndCountersAreRead() {
        NicReading tenGig = nics.get(2);
        assertTrue(tenGig.up());
        assertEquals(10000L, tenGig.speedMbps());
        assertEquals(1500L, tenGig.mtu());
        assertEquals(new NicCounters(5555555555L, 77777777777L, 4000000, 52000000, 1, 0, 12, 0), tenGig.counters());
    }

    @Test
    void aDownLinkHasNoSpeed() {
        NicReading down = nics.get(1);
        assertFalse(down.up());
        assertEquals("down", down.operstate());
        assertNull(down.speedMbps());
    }

    @Test
    void anInterfaceWithoutSpeedAttributeHasNoSpeed() {
        NicReading lo = nics.get(3);
        assertEquals("unknown", lo.operstate());
        assertNull(lo.speedMbps());
        assertEquals(65536L, lo.mtu());
    }
}
