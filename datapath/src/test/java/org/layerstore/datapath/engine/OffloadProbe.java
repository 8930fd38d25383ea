// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.nio.file.Path;

import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;

/**
 * Opens an offload transfer of a whole file in a child JVM whose limits the test sets (memlock,
 * capabilities), and prints what happened: {@code opened}, {@code refused: <reason>} or
 * {@code unavailable: <reason>}.
 */
public final class OffloadProbe {

    private OffloadProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (OffloadEngine engine = new OffloadEngine(DatapathLimits.ls1046a(), OffloadEngineTest.ls1046ardbPortals(), OffloadSettings.defaults().withFramesInFlight(16));
             OpenFile in = OpenFile.read(Path.of(args[0]))) {
            if (!engine.availability().available()) {
                System.out.println("unavailable: " + engine.availability().reason());
                return;
            }
            try (Transfer transfer = engine.open(in, FileRange.whole(in.size()))) {
                System.out.println("opened " + transfer.range());
            } catch (EngineRefusedException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
