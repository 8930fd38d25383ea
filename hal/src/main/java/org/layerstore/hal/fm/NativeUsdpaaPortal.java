// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.layerstore.hal.HalException;
import org.layerstore.hal.HalLibrary;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_usdpaa_fm_config;

/** {@link UsdpaaPortal} on liblayerstore-hal: an {@code lsh_usdpaa_fm} handle on the real devices. */
final class NativeUsdpaaPortal implements UsdpaaPortal {

    private final MemorySegment handle;

    private NativeUsdpaaPortal(MemorySegment handle) {
        this.handle = handle;
    }

    /**
     * Opens the devices and seeds a pool of {@code poolBuffers} buffers of {@code bufferSize} bytes from
     * the DMA region; a failure names the open path's step and carries its errno.
     */
    static NativeUsdpaaPortal open(int confirmQueues, int poolBuffers, int bufferSize) {
        HalLibrary.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment config = lsh_usdpaa_fm_config.allocate(arena);
            lsh_usdpaa_fm_config.confirm_queues(config, confirmQueues);
            lsh_usdpaa_fm_config.pool_buffers(config, poolBuffers);
            lsh_usdpaa_fm_config.buffer_size(config, bufferSize);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment step = arena.allocate(ValueLayout.JAVA_INT);
            int rc = hal_h.lsh_usdpaa_fm_open(config, out, step);
            String stepName = hal_h.lsh_usdpaa_step_name(step.get(ValueLayout.JAVA_INT, 0)).reinterpret(128)
                    .getString(0);
            HalException.check(rc, "lsh_usdpaa_fm_open", "step=" + stepName + ", poolBuffers=" + poolBuffers
                    + ", bufferSize=" + bufferSize);
            return new NativeUsdpaaPortal(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    @Override
    public int pool() {
        return hal_h.lsh_usdpaa_fm_pool(handle);
    }

    @Override
    public int createConfirmQueue(int contextB) {
        return hal_h.lsh_usdpaa_fm_create_confirm_queue(handle, contextB);
    }

    @Override
    public int createTxQueue(int txFqid, int channel, int confirmFqid, int taildrop) {
        return hal_h.lsh_usdpaa_fm_create_tx_queue(handle, txFqid, (short) channel, confirmFqid, taildrop);
    }

    @Override
    public int enqueue(int fqid, MemorySegment descriptors, int count) {
        return hal_h.lsh_usdpaa_fm_enqueue(handle, fqid, descriptors, count);
    }

    @Override
    public int dequeue(MemorySegment entries, int max) {
        return hal_h.lsh_usdpaa_fm_dequeue(handle, entries, max);
    }

    @Override
    public int messages(MemorySegment entries, int max) {
        return hal_h.lsh_usdpaa_fm_messages(handle, entries, max);
    }

    @Override
    public int release(int bpid, MemorySegment buffers, int count) {
        return hal_h.lsh_usdpaa_fm_release(handle, bpid, buffers, count);
    }

    @Override
    public int acquire(int bpid, MemorySegment buffers, int count) {
        return hal_h.lsh_usdpaa_fm_acquire(handle, bpid, buffers, count);
    }

    @Override
    public void close() {
        hal_h.lsh_usdpaa_fm_close(handle);
    }
}
