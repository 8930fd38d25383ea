// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.layerstore.netstack.wire.MacAddress;

/** What a link takes from its Linux interface: the MAC address and MTU, from sysfs. */
record InterfaceFacts(MacAddress mac, int mtu) {

    static InterfaceFacts of(String interfaceName) {
        Path sys = Path.of("/sys/class/net", interfaceName);
        try {
            return new InterfaceFacts(MacAddress.parse(Files.readString(sys.resolve("address"))),
                    Integer.parseInt(Files.readString(sys.resolve("mtu")).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read interface " + interfaceName + " from " + sys, e);
        }
    }
}
