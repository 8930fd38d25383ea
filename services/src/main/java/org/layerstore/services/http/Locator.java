// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

/** Turns a URL or path that a client named in a header (Destination, If) into a resource of a share. */
public interface Locator {

    /**
     * @param reference an absolute URL or an absolute path, percent-encoded
     * @param authority the request's Host (host and optional port), which an absolute URL must name to be
     *                  on this server; null when the request had none
     * @return the resource, or null when it names no share on this server (another host included)
     */
    Resource locate(String reference, String authority) throws PathRefusedException;
}
