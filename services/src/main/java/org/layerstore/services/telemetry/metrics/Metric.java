// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named value of one sample, with its unit. Names are lower_snake_case so they can be JSON keys,
 * topic levels and Home Assistant object ids as they are.
 *
 * @param group  what the value belongs to: {@code system}, {@code http}, {@code share.demo}, {@code engine.sendfile}
 * @param name   the value's name within its group
 * @param value  a {@link Number}, or a {@link String} for {@link Kind#INFO}
 * @param unit   SI or IEC unit as Home Assistant spells it ({@code B}, {@code B/s}, {@code %}, {@code s}, {@code °C},
 *               {@code 1/s}), or empty for a plain count or text
 * @param kind   how the value behaves over time
 */
public record Metric(String group, String name, Object value, String unit, Kind kind) {

    private static final Pattern GROUP = Pattern.compile("[a-z0-9_]+(\\.[A-Za-z0-9_-]+)?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

    /** How a value behaves over time; Home Assistant's {@code state_class} follows from it. */
    public enum Kind {
        /** A level that goes up and down: load, free space, temperature. */
        GAUGE,
        /** A count that only grows while the appliance runs: bytes sent, errors. */
        COUNTER,
        /** Text that describes the appliance: version, board. */
        INFO
    }

    public Metric {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(kind, "kind");
        unit = unit == null ? "" : unit;
        if (!GROUP.matcher(group).matches() || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric group '" + group + "' or name '" + name + "' is not a valid key");
        }
        if (kind == Kind.INFO != value instanceof String) {
            throw new IllegalArgumentException("metric " + group + "/" + name + ": INFO values are text, others numbers");
        }
    }

    public static Metric gauge(String group, String name, Number value, String unit) {
        return new Metric(group, name, value, unit, Kind.GAUGE);
    }

    public static Metric counter(String group, String name, long value, String unit) {
        return new Metric(group, name, value, unit, Kind.COUNTER);
    }

    public static Metric info(String group, String name, String value) {
        return new Metric(group, name, value, "", Kind.INFO);
    }

    /** The key that identifies the value across samples: {@code group/name}. */
    public String key() {
        return group + "/" + name;
    }
}
