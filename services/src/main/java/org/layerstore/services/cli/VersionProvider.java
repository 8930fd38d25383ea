// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest ("development" when run from classes). */
final class VersionProvider implements IVersionProvider {

    static String version() {
        return org.layerstore.services.ApplianceVersion.current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"layerstore " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
