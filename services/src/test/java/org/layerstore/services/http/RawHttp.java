// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bytes exactly as written on a socket, for requests no well-behaved client would send. */
public final class RawHttp {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\ncontent-length: *(\\d+)\r\n");

    private RawHttp() {
    }

    /** Sends {@code request} and returns everything the server answers until it closes (or 10 s pass). */
    public static String exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static String exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // the server kept the connection open: what arrived is the answer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** A response's status line and headers as sent, up to and with the blank line that ends them. */
    public static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in a response head after \"" + head + "\"");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** A response read off a socket: its head in lower case, its body as ISO-8859-1 text. */
    public record Answer(String head, String body) {
    }

    /**
     * Writes an HTTP/1.0 GET of {@code target} (with {@code Connection: Keep-Alive} when {@code keepAlive})
     * and reads its response, the body by its Content-Length.
     */
    private static Answer getHttp10(OutputStream out, InputStream in, String target, boolean keepAlive)
            throws IOException {
        out.write(("GET " + target + " HTTP/1.0\r\n" + (keepAlive ? "Connection: Keep-Alive\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String head = head(in).toLowerCase(Locale.ROOT);
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (!length.find()) {
            throw new IOException("no Content-Length in " + head);
        }
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        return new Answer(head, new String(body, StandardCharsets.ISO_8859_1));
    }

    /**
     * Opens a connection to {@code port}, sends {@code requests} HTTP/1.0 keep-alive GETs of {@code target}
     * one after the other on it and returns their answers; {@code then}, if not null, is sent last without
     * keep-alive, followed by a check that the server closed the connection.
     */
    public static List<Answer> http10KeptAlive(int port, String target, int requests, String then) throws IOException {
        List<Answer> answers = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < requests; i++) {
                answers.add(getHttp10(socket.getOutputStream(), in, target, true));
            }
            if (then != null) {
                answers.add(getHttp10(socket.getOutputStream(), in, then, false));
                if (in.read() >= 0) {
                    throw new IOException("the server kept the connection open after " + answers.getLast().head());
                }
            }
        }
        return answers;
    }

    /** The status code of the first response in {@code response}, or -1 when there is none. */
    public static int status(String response) {
        if (!response.startsWith("HTTP/1.1 ")) {
            return -1;
        }
        return Integer.parseInt(response.substring(9, 12));
    }
}
