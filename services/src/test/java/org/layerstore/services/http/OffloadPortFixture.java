// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.layerstore.services.http.OffloadTestClients.sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.layerstore.datapath.RandomContent;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;

/**
 * The offload-port tests' one set-up: the file server on loopback sharing {@code files} from
 * {@code dir/share}, which holds {@code one-MiB.bin} and {@code sixty-four-MiB.bin} of random bytes; its
 * offload port on the wire asked for, on the stack end of {@code network}; curl in the network's namespace,
 * signed in as the test user. {@link #close} stops the server (the port with it), then removes the network.
 */
record OffloadPortFixture(OffloadDemoNetwork network, Path root, HttpFileServer server, OffloadPort port, Curl curl)
        implements AutoCloseable {

    static final String STACK = OffloadDemoNetwork.STACK_ADDRESS;

    /** The share's URL through the offload port, ending in a slash. */
    String base() {
        return "http://" + STACK + ":" + port.localAddress().getPort() + "/files/";
    }

    /**
     * Starts it all in {@code dir} on {@code network} (owned from now on, removed if the start fails), the
     * two files made from random seeds {@code seed} and {@code seed + 1}.
     */
    static OffloadPortFixture start(Path dir, OffloadDemoNetwork network, String wire, FrameManagers frameManagers,
            long seed) throws IOException {
        HttpFileServer server = null;
        try {
            Path root = Files.createDirectories(dir.resolve("share"));
            RandomContent.createNew(root.resolve("one-MiB.bin"), 1 << 20, seed);
            RandomContent.createNew(root.resolve("sixty-four-MiB.bin"), 64 << 20, seed + 1);
            HttpSettings http = new HttpSettings("127.0.0.1", 0, null,
                    LimitSettings.defaults().withMaxConnectionsPerClient(512));
            server = HttpFileServer.start(http, new AuthSettings(TestServers.usersFile(dir), null, true),
                    List.of(new ShareSettings("files", root, false)));
            OffloadPort port = server.serveOffload(new OffloadSettings(network.stackInterface(), STACK + "/24")
                    .withWire(wire), frameManagers);
            Curl curl = Curl.inNamespace(network.namespace(), dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
            return new OffloadPortFixture(network, root, server, port, curl);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            network.close();
            throw e;
        }
    }

    /** Uploads {@code upload} as {@code uploaded.bin}: 201, and the share's copy is sha256-identical. */
    void assertUploadLandsIntact(Path upload) throws Exception {
        Curl.Response r = curl.run("-T", upload.toString(), base() + "uploaded.bin");
        assertEquals(201, r.status());
        assertArrayEquals(sha256(Files.readAllBytes(upload)), sha256(Files.readAllBytes(root.resolve("uploaded.bin"))));
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            network.close();
        }
    }
}
