// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import org.layerstore.hal.bindings.libc.libc_h;

/**
 * The open(2) flags the layers above the HAL pass to {@link Libc#open} and {@link BeneathOpen#open}, from
 * the generated bindings (never retyped; as Netty's {@code Native} takes {@code EPOLLIN} from the native
 * side), so those layers never import the bindings themselves. Values are the same on linux-x86_64 and
 * linux-aarch64 for every flag here (docs/hal.md names the one that is not, O_DIRECTORY, left out).
 */
public final class OpenFlags {

    public static final int READ_ONLY = libc_h.O_RDONLY();
    public static final int READ_WRITE = libc_h.O_RDWR();
    public static final int CREATE = libc_h.O_CREAT();
    /** With {@link #CREATE}: fail if the name exists, a symbolic link included. */
    public static final int EXCLUSIVE = libc_h.O_EXCL();
    /** Opening a FIFO does not wait for a writer; reads and writes never block. */
    public static final int NON_BLOCKING = libc_h.O_NONBLOCK();
    public static final int CLOSE_ON_EXEC = libc_h.O_CLOEXEC();
    /** O_PATH: a descriptor that names a file or folder without opening its content (see {@link PathDescriptor}). */
    public static final int PATH_ONLY = libc_h.O_PATH();

    private OpenFlags() {
    }
}
