// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

/** A server variant this build cannot run (the appliance refused its engine); reported, not fatal. */
final class VariantUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    VariantUnavailableException(String reason) {
        super(reason);
    }
}
