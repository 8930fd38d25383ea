// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.mapping;

import java.io.IOException;

/** The file became shorter than the range being mapped or sent (truncated by someone else meanwhile). */
public final class FileShrankException extends IOException {

    public FileShrankException(String message) {
        super(message);
    }

    public FileShrankException(String message, Throwable cause) {
        super(message, cause);
    }
}
