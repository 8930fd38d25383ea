// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

/** Test teardown: closes what a set-up opened, in the order given, skipping what it never got to open. */
final class InOrder {

    private InOrder() {
    }

    /** Closes each non-null resource in turn; the first failure is thrown after the rest were closed. */
    static void close(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable r : resources) {
            try {
                if (r != null) {
                    r.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
