// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services;

/** The appliance's version, from the jar's manifest ("development" when run from classes). */
public final class ApplianceVersion {

    private ApplianceVersion() {
    }

    public static String current() {
        String v = ApplianceVersion.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
