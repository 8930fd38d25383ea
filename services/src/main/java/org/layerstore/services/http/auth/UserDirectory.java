// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The users file: one {@code name:hash} line per user, {@code #} comments and blank lines ignored. The
 * hashes are bcrypt ({@code $2y$}, {@code $2b$} or {@code $2a$}), exactly what {@code htpasswd -B}
 * writes, so the file can be managed with Apache's tool or {@code layerstore passwd}.
 */
public final class UserDirectory {

    /** The bcrypt cost for new hashes: 2^12 rounds, about 0.2 s on a Cortex-A72. */
    public static final int DEFAULT_COST = 12;

    private final Map<String, String> hashes;
    /** The bcrypt cost an unknown user's verification pays: the highest of the file's hashes. */
    private final int unknownUserCost;

    private UserDirectory(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
        this.unknownUserCost = hashes.values().stream().mapToInt(UserDirectory::cost).max().orElse(DEFAULT_COST);
    }

    public static UserDirectory empty() {
        return new UserDirectory(Map.of());
    }

    /** Reads a users file; a malformed line is an error naming the file and line. */
    public static UserDirectory load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String hash = colon < 0 ? "" : line.substring(colon + 1);
            if (colon <= 0 || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw new IOException(file + " line " + (i + 1) + ": expected name:bcrypt-hash ($2y$...), as htpasswd -B writes");
            }
            hashes.put(line.substring(0, colon), hash);
        }
        return new UserDirectory(hashes);
    }

    public boolean isEmpty() {
        return hashes.isEmpty();
    }

    /**
     * Whether {@code password} is {@code user}'s. An unknown user costs a bcrypt of the same cost as the
     * known ones (a dummy hash with the file's highest cost), so the answer's timing does not tell which
     * users exist.
     */
    public boolean verify(String user, String password) {
        String hash = hashes.get(user);
        if (hash == null) {
            OpenBSDBCrypt.checkPassword(Dummy.withCost(unknownUserCost), password.toCharArray());
            return false;
        }
        return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }

    /** The cost of a {@code $2y$NN$...} hash: its rounds are 2^NN. */
    static int cost(String hash) {
        return Integer.parseInt(hash.substring(4, 6));
    }

    /** A new bcrypt hash for a users file line. */
    public static String hash(String password, int cost) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    /** Made on the first unknown user, not at class loading: seeding SecureRandom would slow every start. */
    private static final class Dummy {
        /** Cost 4 to make; only its salt and digest are used, under the cost asked for. */
        static final String HASH = hash("not a password", 4);

        static String withCost(int cost) {
            return "$2y$" + String.format("%02d", cost) + HASH.substring(6);
        }
    }
}
