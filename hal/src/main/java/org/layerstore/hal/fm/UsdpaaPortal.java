// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.MemorySegment;

/**
 * The usdpaa frame-manager C API ({@code layerstore/usdpaa_fm.h}) of one open handle, call for call:
 * each returns what the C function returns (a count, an FQID, or a negative errno). It is the boundary
 * between {@link UsdpaaFrameManager}, which maps the {@link FrameManager} interface and the errnos onto
 * it, and the native library, whose behaviour the C tests check against a fake kernel and a fake
 * QMan/BMan; the Java tests put a recording implementation here, because no QMan exists on a build host.
 */
interface UsdpaaPortal {

    /** {@code lsh_usdpaa_fm_pool}: the pool the open seeded. */
    int pool();

    int createConfirmQueue(int contextB);

    int createTxQueue(int txFqid, int channel, int confirmFqid, int taildrop);

    int enqueue(int fqid, MemorySegment descriptors, int count);

    /** {@code lsh_usdpaa_fm_dequeue} into {@code qm_dqrr_entry}s. */
    int dequeue(MemorySegment entries, int max);

    /** {@code lsh_usdpaa_fm_messages} into {@code qm_mr_entry}s. */
    int messages(MemorySegment entries, int max);

    int release(int bpid, MemorySegment buffers, int count);

    int acquire(int bpid, MemorySegment buffers, int count);

    void close();
}
