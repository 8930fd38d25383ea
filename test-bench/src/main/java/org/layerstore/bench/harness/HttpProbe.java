// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One plain HTTP/1.1 GET on loopback, answered or not: for probes, not for load. */
final class HttpProbe {

    private HttpProbe() {
    }

    /** Sends a GET for {@code path} and reads the whole response; returns the status line. */
    static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LoopbackPorts.LOOPBACK, port), 5000);
            socket.setSoTimeout(30_000);
            sendGet(socket, path);
            byte[] response = socket.getInputStream().readAllBytes();
            String text = new String(response, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n");
            return end < 0 ? text : text.substring(0, end);
        }
    }

    /** Sends a GET for {@code path} asking the server to close afterwards. */
    static void sendGet(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads the first byte of the response; true when one arrived. */
    static boolean firstByte(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return in.read() >= 0;
    }
}
