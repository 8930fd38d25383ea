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
    void aMalformedLineIsAnErrorNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "ok:" + UserDirectory.hash("x", 4) + "\nbad:{SHA}abc\n");
        IOException e = assertThrows(IOException.class, () -> UserDirectory.load(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void basicCredentialsAreCheckedAndPlainHttpRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "carol:" + UserDirectory.hash("pw:1", 4) + "\n");
        BasicAuthenticator strict = new BasicAuthenticator(UserDirectory.load(file), "R", false);
        assertInstanceOf(BasicAuthenticator.Result.Anonymous.class, strict.authenticate(null, false));
        assertInstanceOf(BasicAuthenticator.Result.Insecure.class, strict.authenticate(basic("carol", "pw:1"), false));
        assertEquals(new BasicAuthenticator.Result.Authenticated("carol"), strict.authenticate(basic("carol", "pw:1"), true));
        assertEquals(new BasicAuthenticator.Result.Authenticated("carol"), strict.authenticate(basic("carol", "pw:1"), true));
        assertInstanceOf(BasicAuthenticator.Result.Rejected.class, strict.authenticate(basic("carol", "pw"), true));
        assertInstanceOf(BasicAuthenticator.Result.Rejected.class, strict.authenticate("Basic !!!", true));
        assertInstanceOf(BasicAuthenticator.Result.Rejected.class, strict.authenticate("Bearer abc", true));
        assertFalse(strict.mayChallenge(false));
        assertTrue(strict.mayChallenge(true));
        assertFalse(new BasicAuthenticator(UserDirectory.empty(), "R", true).mayChallenge(true));
    }
}
