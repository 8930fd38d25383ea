// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;

/**
 * An engine cannot take this particular range now (its pages cannot be pinned, are not present, every TX
 * port is busy), although it works on this host: the caller should use another engine for it.
 * {@code auto} does so, and records the reason as a fallback.
 */
public final class EngineRefusedException extends IOException {

    public EngineRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    public EngineRefusedException(String message) {
        super(message);
    }
}
