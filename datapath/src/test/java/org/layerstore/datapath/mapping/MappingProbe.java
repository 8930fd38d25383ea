// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.mapping;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.layerstore.datapath.FileRange;

/**
 * Runs one hazardous mapping operation in a child JVM, so a failure to contain it (a SIGBUS killing the
 * JVM) fails the test instead of the test run. Prints one line saying what happened; exit 0 = contained.
 *
 * <pre>MappingProbe truncate FILE   map FILE, truncate it to one page, fault the whole mapping in
 * MappingProbe pin FILE        map FILE and pin it</pre>
 */
public final class MappingProbe {

    private MappingProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileMapping mapping = FileMapping.map(channel, FileRange.whole(channel.size()), PageSize.system())) {
            switch (args[0]) {
                case "truncate" -> {
                    channel.truncate(PageSize.system());
                    try {
                        mapping.faultIn();
                        System.out.println("faulted in without error");
                        System.exit(2);
                    } catch (FileShrankException e) {
                        System.out.println("contained: " + e.getMessage());
                    }
                }
                case "pin" -> {
                    try {
                        mapping.pin();
                        System.out.println("pinned");
                    } catch (PinRefusedException e) {
                        System.out.println("refused: " + e.getMessage());
                    }
                }
                default -> throw new IllegalArgumentException("unknown probe " + args[0]);
            }
        }
    }
}
