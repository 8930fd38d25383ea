// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

/** The engine {@code auto} picked for a request, and why. */
public record EngineChoice(TransmitEngine engine, String reason) {
}
