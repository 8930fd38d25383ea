// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostPlatformTest {

    @Test
    void jvmArchitectureNamesMapToThePackagedLibraryDirectories() {
        assertEquals("linux-x86_64", HostPlatform.of("Linux", "amd64").nativeDirectory());
        assertEquals("linux-aarch64", HostPlatform.of("Linux", "aarch64").nativeDirectory());
        assertEquals("linux-aarch64", HostPlatform.of("Linux", "arm64").nativeDirectory());
    }

    @Test
    void onlyLinuxIsLinux() {
        assertTrue(HostPlatform.of("Linux", "amd64").isLinux());
        assertFalse(HostPlatform.of("Mac OS X", "aarch64").isLinux());
    }
}
