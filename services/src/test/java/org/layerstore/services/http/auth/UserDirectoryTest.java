// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoryTest {

    @TempDir
    Path dir;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void htpasswdBcryptLinesAreReadAndVerified() throws Exception {
        // as written by: htpasswd -nbB -C 4 carol 'pa:ss wörd'
        Path file = Files.writeString(dir.resolve("users"), "# comment\n\ncarol:" + UserDirectory.hash("pa:ss wörd", 4)
                + "\ndave:$2b$04$" + UserDirectory.hash("x", 4).substring(7) + "\n");
        UserDirectory users = UserDirectory.load(file);
        assertTrue(users.verify("carol", "pa:ss wörd"));
        assertFalse(users.verify("carol", "pa:ss word"));
        assertFalse(users.verify("nobody", "pa:ss wörd"));
        assertTrue(users.verify("dave", "x"));
    }

    @Test
    void anUnknownUserCostsABcryptOfTheFilesHighestCost() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "fast:" + UserDirectory.hash("x", 4) + "\nslow:"
                + UserDirectory.hash("x", 11) + "\n");
        UserDirectory users = UserDirectory.load(file);
        users.verify("nobody", "warm-up");
        long unknown = Long.MAX_VALUE;
        long known = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the fastest of three: the least disturbed by a busy machine
            long t0 = System.nanoTime();
            users.verify("nobody", "guess");
            long t1 = System.nanoTime();
            users.verify("slow", "guess");
            long t2 = System.nanoTime();
            unknown = Math.min(unknown, t1 - t0);
            known = Math.min(known, t2 - t1);
        }
        // Cost 4 would be 128 times cheaper than cost 11; the same cost is within a factor of two.
        assertTrue(unknown > known / 2, "unknown user " + unknown / 1000 + " us, known user " + known / 1000 + " us");
    }

    @Test
    void aMalformedLineIsAnErrorNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "ok:" + UserDirectory.hash("x", 4) + "\nbad:{SHA}abc\n");
        IOException e = assertThrows(IOException.class, () -> UserDirectory.load(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void basicCredentialsAreCheckedAndPlainHttpRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "carol:" + UserDirectory.hash("pw:1", 4) + "\n");
        BasicAuthenticator strict = new BasicAuthenticator(UserDirectory.load(file), "R", false, SignInThrottle.monotonic());
        assertInstanceOf(BasicAuthenticator.Result.Anonymous.class, strict.authenticate(null, false, "192.0.2.1"));
        assertInstanceOf(BasicAuthenticator.Result.Insecure.class, strict.authenticate(basic("carol", "pw:1"), false, "192.0.2.1"));
        assertEquals(new BasicAuthenticator.Result.Authenticated("carol"), strict.authenticate(basic("carol", "pw:1"), true, "192.0.2.1"));
        assertEquals(new BasicAuthenticator.Result.Authenticated("carol"), strict.authenticate(basic("carol", "pw:1"), true, "192.0.2.1"));
        assertInstanceOf(BasicAuthenticator.Result.Rejected.class, strict.authenticate(basic("carol", "pw"), true, "192.0.2.1"));
        assertInstanceOf(BasicAuthenticator.Result.Rejected.class, strict.authenticate("Basic !!!", true, "192.0.2.1"));
        assertInstanceOf(BasicAuthenticator.Result.Rejected.class, strict.authenticate("Bearer abc", true, "192.0.2.1"));
        assertFalse(strict.mayChallenge(false));
        assertTrue(strict.mayChallenge(true));
        assertFalse(new BasicAuthenticator(UserDirectory.empty(), "R", true, SignInThrottle.monotonic()).mayChallenge(true));
    }
}
