package org.layerstore.services.http;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The names of the server's own temporaries, made in the folder of the file or folder they become, so that
 * the final rename stays on one filesystem. They share the reserved prefix (never listed, never served) and
 * one exact pattern, {@code .layerstore-KIND-HEX.tmp}, by which the start-up sweep recognises them: a user's
 * file can never be taken for one, since no request can name anything with the reserved prefix.
 */
public final class TemporaryNames {

    /** An upload's body until it is complete (a file). */
    public static final String UPLOAD = "upload";
    /** A COPY's new file or tree until it is complete (a file or a folder). */
    public static final String COPY = "copy";
    /** An existing destination moved aside while a COPY or MOVE replaces it; only a journal deletes it. */
    public static final String REPLACED = "replaced";

    private static final Pattern SWEPT = Pattern.compile(
            Pattern.quote(Share.RESERVED_PREFIX) + "(" + UPLOAD + "|" + COPY + ")-[0-9a-f]{1,16}\\.tmp");

    private TemporaryNames() {
    }

    /** A fresh temporary of {@code kind} beside {@code target}. */
    public static Path beside(Path target, String kind) {
        return target.resolveSibling(Share.RESERVED_PREFIX + kind + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
    }

    /**
     * Whether {@code name} is an upload's or a COPY's temporary, which no running request can own at start:
     * the sweep deletes exactly these (never {@link #REPLACED}, whose fate its journal entry decides).
     */
    static boolean isSweptAtStart(String name) {
        return SWEPT.matcher(name).matches();
    }
}
