// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalLibraryTest {

    @Test
    void thePackagedLibraryLoadsWithoutAnyPathSetAndReportsTheExpectedAbi() {
        assertTrue(HalLibrary.isAvailable(), () -> "unavailable: " + HalLibrary.unavailabilityCause());
        assertEquals(HalLibrary.EXPECTED_ABI_VERSION, HalLibrary.abiVersion());
    }
}
