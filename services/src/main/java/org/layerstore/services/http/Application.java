// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

/**
 * A part of the appliance served beside the shares under a path segment of its own (the dashboard, at
 * {@code /_dashboard/}). Its requests are signed in as the shares' are, and when the users file names
 * anyone only signed-in users reach it; without users it is open, as anonymous shares are.
 */
public interface Application {

    /** The first path segment it owns (such as {@code _dashboard}); it takes precedence over a share of that name. */
    String segment();

    /**
     * Answers one request through {@code ex}, whose {@code user} is set. Runs on the connection's event
     * loop or on its file-I/O thread, so it must not block on anything but memory.
     *
     * @param path the request's path, starting with {@link #segment()}
     */
    void serve(Exchange ex, RequestPath path);
}
