// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.mapping;

import java.io.IOException;

/** The kernel refused to pin (mlock) mapped pages, most often because of the memlock limit. */
public final class PinRefusedException extends IOException {

    public PinRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
