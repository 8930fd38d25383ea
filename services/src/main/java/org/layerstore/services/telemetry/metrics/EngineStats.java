// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

/**
 * One datapath engine's running totals since the appliance started.
 *
 * @param engine          the engine's name as {@code auto} reports it ({@code sendfile}, {@code fman}, {@code copy});
 *                        letters, digits, '_' and '-'
 * @param bytes           payload bytes the engine has sent
 * @param cpuCopiedBytes  of those, the bytes the CPU copied (0 for a true zero-copy engine)
 */
public record EngineStats(String engine, long bytes, long cpuCopiedBytes) {
}
