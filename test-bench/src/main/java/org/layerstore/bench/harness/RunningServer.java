// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.util.List;

/** A server under test, listening on loopback until closed. */
interface RunningServer extends AutoCloseable {

    /** The variant's name in results: "nginx", "appliance", "appliance-splice", ... */
    String name();

    /** http://127.0.0.1:PORT (no trailing slash). */
    String baseUrl();

    /** Every process whose CPU and memory count as the server's (nginx: master and workers). */
    List<Long> pids() throws IOException;

    @Override
    void close();
}
