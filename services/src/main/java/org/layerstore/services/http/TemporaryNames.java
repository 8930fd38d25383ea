// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the server's own temporaries, made in the folder of the file or folder they become, so that
 * the final rename stays on one filesystem. They share the reserved prefix (never listed, never served) and
 * one exact pattern, {@code .layerstore-KIND-HEX.tmp}, by which the start-up sweep recognises them: a user's
 * file can never be taken for one, since no request can name anything with the reserved prefix. HEX is 16
 * digits, the first 8 naming the server process that made it, so the sweep, which runs while the server
 * already serves, never takes a temporary of the running server for a leftover.
 */
public final class TemporaryNames {

    /** An upload's body until it is complete (a file). */
    public static final String UPLOAD = "upload";
    /** A COPY's new file or tree until it is complete (a file or a folder). */
    public static final String COPY = "copy";
    /** An existing destination moved aside while a COPY or MOVE replaces it; only a journal deletes it. */
    public static final String REPLACED = "replaced";

    /** 1 to 16 digits: servers before the process mark wrote a variable number. */
    private static final Pattern SWEPT = Pattern.compile(
            Pattern.quote(Share.RESERVED_PREFIX) + "(" + UPLOAD + "|" + COPY + ")-([0-9a-f]{1,16})\\.tmp");
    /** This process's mark; another process's temporaries differ in it (but for a 1 in 2^32 chance: kept then). */
    private static final String PROCESS = String.format("%08x", ThreadLocalRandom.current().nextInt());

    private TemporaryNames() {
    }

    /** A fresh temporary of {@code kind} beside {@code target}. */
    public static Path beside(Path target, String kind) {
        return target.resolveSibling(Share.RESERVED_PREFIX + kind + "-" + PROCESS
                + String.format("%08x", ThreadLocalRandom.current().nextInt()) + ".tmp");
    }

    /**
     * Whether {@code name} is an upload's or a COPY's temporary left by another (killed) server process: the
     * sweep deletes exactly these, never {@link #REPLACED}, whose fate its journal entry decides.
     */
    static boolean isLeftOver(String name) {
        Matcher m = SWEPT.matcher(name);
        return m.matches() && !(m.group(2).length() == 16 && m.group(2).startsWith(PROCESS));
    }
}
