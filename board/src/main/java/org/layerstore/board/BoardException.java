// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

/** A board profile is malformed, missing or unknown; the message names the profile or file and the rule broken. */
public final class BoardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BoardException(String message) {
        super(message);
    }

    public BoardException(String message, Throwable cause) {
        super(message, cause);
    }
}
