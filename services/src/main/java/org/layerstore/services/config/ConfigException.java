// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

/** The configuration file or a command-line override is invalid; the message says which setting and why. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
