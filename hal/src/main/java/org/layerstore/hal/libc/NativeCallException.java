// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

/**
 * A C library or HAL call that failed, naming the call, its arguments and the error number, e.g.
 * {@code mlock(address=0x7f0c2a000000, length=1048576) failed: ENOMEM (Cannot allocate memory)}.
 */
public class NativeCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final Errno errno;

    public NativeCallException(String call, String arguments, Errno errno) {
        super(call + "(" + arguments + ") failed: " + errno);
        this.call = call;
        this.errno = errno;
    }

    /** The C function that failed, e.g. {@code mlock}. */
    public String call() {
        return call;
    }

    /** The error it reported. */
    public Errno errno() {
        return errno;
    }
}
