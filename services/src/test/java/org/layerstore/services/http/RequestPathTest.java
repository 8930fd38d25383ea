// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.handler.codec.http.HttpResponseStatus;

class RequestPathTest {

    @Test
    void segmentsArePercentDecodedOnceAndDotSegmentsDropped() throws Exception {
        RequestPath p = RequestPath.parse("/demo/./a%20b/%25252e%25252e/x.bin?download=1");
        assertEquals(List.of("demo", "a b", "%252e%252e", "x.bin"), p.segments());
    }

    @Test
    void utf8NamesDecodeAndReencode() throws Exception {
        RequestPath p = RequestPath.parse("/demo/%C3%A9t%C3%A9.txt");
        assertEquals(List.of("demo", "été.txt"), p.segments());
        assertEquals("/demo/%C3%A9t%C3%A9.txt", p.encoded(false));
    }

    @Test
    void trailingSlashIsRemembered() throws Exception {
        assertTrue(RequestPath.parse("/demo/media/").trailingSlash());
        assertTrue(RequestPath.parse("/").isRoot());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/demo/../etc/passwd", "/demo/%2e%2e/x", "/demo/%2E%2E/x", "/demo/.%2e/x",
            "/demo/a%2fb", "/demo/a%2Fb", "/demo/a%5cb", "/demo/a\\b", "/demo/a%00b", "/.."})
    void escapeAttemptsAreForbidden(String target) {
        var e = assertThrows(PathRefusedException.class, () -> RequestPath.parse(target));
        assertEquals(HttpResponseStatus.FORBIDDEN, e.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo/x", "/demo/%zz", "/demo/%2", "/demo/%c0%ae%c0%ae/x", "/demo/%e0%80%af", "/demo/%ff",
            "/demo/a%0ab", "http://host/x"})
    void malformedPathsAreBadRequests(String target) {
        var e = assertThrows(PathRefusedException.class, () -> RequestPath.parse(target));
        assertEquals(HttpResponseStatus.BAD_REQUEST, e.status());
    }
}
