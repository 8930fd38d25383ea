// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Links generated C functions again so that each call also captures {@code errno}.
 *
 * <p>jextract's handles do not capture errno, and reading it after the call is unreliable (the JVM may
 * run code that changes it in between). So each function is re-linked from the generated
 * {@code xxx$address()} and {@code xxx$descriptor()} with {@link Linker.Option#captureCallState}; the
 * resulting handle takes a capture segment as its first argument.
 *
 * <p>Arena lifetime: every thread gets one capture segment and one scratch segment for out-parameters,
 * allocated in {@link Arena#ofAuto()}: they live as long as the thread's {@link ThreadLocal} entry
 * references them and are freed by the garbage collector after the thread ends.
 */
final class ErrnoCapture {

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Bytes of per-thread scratch space for out-parameters (pipe fds, offsets, rlimit, socket options). */
    static final long SCRATCH_BYTES = 64;

    private static final ThreadLocal<PerThread> STATE = ThreadLocal.withInitial(PerThread::new);

    private ErrnoCapture() {
    }

    /** The function at {@code address} with {@code descriptor}, linked to capture errno. */
    static MethodHandle link(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(more, 0, options, 1, more.length);
        return Linker.nativeLinker().downcallHandle(address, descriptor, options);
    }

    /** This thread's capture segment, to pass as the first argument of a linked handle. */
    static MemorySegment state() {
        return STATE.get().capture;
    }

    /** This thread's scratch segment ({@link #SCRATCH_BYTES} bytes, 8-aligned), valid until its next call. */
    static MemorySegment scratch() {
        return STATE.get().scratch;
    }

    /** The errno captured by this thread's last call. */
    static Errno errno() {
        return new Errno((int) ERRNO.get(STATE.get().capture, 0L));
    }

    private static final class PerThread {
        final MemorySegment capture = Arena.ofAuto().allocate(CAPTURE_LAYOUT);
        final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_BYTES, ValueLayout.JAVA_LONG.byteAlignment());
    }
}
