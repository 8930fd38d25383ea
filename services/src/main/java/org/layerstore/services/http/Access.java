// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

/** What a client may do in one share. */
public enum Access {
    NONE, READ, READ_WRITE;

    public boolean canRead() {
        return this != NONE;
    }

    public boolean canWrite() {
        return this == READ_WRITE;
    }
}
