// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

/** A sensor source exists but cannot be read at all; single unreadable attributes are reported in readings instead. */
public final class SensorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SensorException(String message, Throwable cause) {
        super(message, cause);
    }

    public SensorException(String message) {
        super(message);
    }
}
