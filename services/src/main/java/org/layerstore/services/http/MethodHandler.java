// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;

/** Answers one family of methods for a resource whose access has already been checked. */
public interface MethodHandler {

    /**
     * @param body the request body, complete (never null; empty when there was none)
     */
    void handle(Exchange ex, Resource resource, byte[] body) throws IOException, PathRefusedException;
}
