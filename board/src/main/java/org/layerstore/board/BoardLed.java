// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

/**
 * A LED the appliance may drive through /sys/class/leds.
 *
 * @param name     the LED's directory name under /sys/class/leds
 * @param function what the appliance shows on it, e.g. {@code status}, {@code activity}
 */
public record BoardLed(String name, String function) {

    public BoardLed {
        if (name == null || name.isBlank() || function == null || function.isBlank()) {
            throw new BoardException("a LED needs a name and a function");
        }
    }
}
