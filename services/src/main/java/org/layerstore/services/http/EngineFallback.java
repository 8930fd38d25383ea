// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

/**
 * A share whose configured engine cannot carry its bodies here, found when the server starts.
 *
 * @param share    the share's name
 * @param engine   the engine its configuration names
 * @param fallback what carries its bodies instead ({@code auto}, or {@code copy} under TLS)
 * @param reason   why the configured engine does not apply
 */
public record EngineFallback(String share, String engine, String fallback, String reason) {
}
