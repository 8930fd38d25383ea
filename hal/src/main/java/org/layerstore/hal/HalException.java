// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal;

import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.NativeCallException;

/**
 * A HAL native call ({@code lsh_*}) that returned a negative errno, naming the call and its arguments,
 * e.g. {@code lsh_fm_fq_create(kind=TX, port=9) failed: ENODEV (No such device)}.
 */
public final class HalException extends NativeCallException {

    private static final long serialVersionUID = 1L;

    public HalException(String call, String arguments, int negativeErrno) {
        super(call, arguments, new Errno(-negativeErrno));
    }

    /** Returns {@code rc} when it is not negative, otherwise throws for {@code call}. */
    public static int check(int rc, String call, String arguments) {
        if (rc < 0) {
            throw new HalException(call, arguments, rc);
        }
        return rc;
    }
}
