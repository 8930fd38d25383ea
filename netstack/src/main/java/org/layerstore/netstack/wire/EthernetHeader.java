// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;

/** Ethernet II header (IEEE 802.3 clause 3.2 with an EtherType): destination, source, type; 14 bytes. */
public final class EthernetHeader {

    public static final int LENGTH = 14;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;

    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int TYPE = 12;

    private EthernetHeader() {
    }

    public static MacAddress destination(MemorySegment frame) {
        return MacAddress.read(frame, DESTINATION);
    }

    public static MacAddress source(MemorySegment frame) {
        return MacAddress.read(frame, SOURCE);
    }

    public static int type(MemorySegment frame) {
        return Bytes.u16(frame, TYPE);
    }

    public static void write(MemorySegment frame, MacAddress destination, MacAddress source, int type) {
        destination.write(frame, DESTINATION);
        source.write(frame, SOURCE);
        Bytes.u16(frame, TYPE, type);
    }
}
