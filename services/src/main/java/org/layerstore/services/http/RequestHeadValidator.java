// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.List;
import java.util.Locale;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Holds each decoded request head to the rules of RFC 9112 that Netty's decoder leaves to the server, and
 * turns an absolute-form target into the origin form the rest of the pipeline serves. A request that
 * breaks a rule is marked failed ({@link MalformedRequestException}), never dropped, so it is answered
 * in its turn among pipelined requests.
 */
@ChannelHandler.Sharable
final class RequestHeadValidator extends ChannelInboundHandlerAdapter {

    static final RequestHeadValidator INSTANCE = new RequestHeadValidator();

    private RequestHeadValidator() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            try {
                check(request);
            } catch (MalformedRequestException e) {
                request.setDecoderResult(DecoderResult.failure(e));
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static void check(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1) {
            // RFC 9112 2.3 and RFC 9110 15.6.6: a major version the server does not speak.
            throw new MalformedRequestException(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "version " + version);
        }
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        // RFC 9112 3.2: 400 for an HTTP/1.1 request without Host, and for any request with more than one.
        if (hosts.size() > 1) {
            throw bad("more than one Host header");
        }
        if (hosts.isEmpty() && version.minorVersion() >= 1) {
            throw bad("no Host header in an HTTP/1.1 request");
        }
        if (!hosts.isEmpty() && !validAuthority(hosts.getFirst().trim(), true)) {
            throw bad("invalid Host header");
        }
        checkTransferEncoding(headers, version);
        String target = request.uri();
        int schemeEnd = target.indexOf("://");
        if (schemeEnd > 0 && isHttpScheme(target.substring(0, schemeEnd))) {
            toOriginForm(request, target, schemeEnd);
        }
    }

    /**
     * RFC 9112 6.1 and 6.3: chunked is the only transfer coding the server knows, so it must be the only one
     * listed ("identity" is no coding at all since RFC 7230); a Transfer-Encoding in an HTTP/1.0 request
     * means faulty framing.
     */
    private static void checkTransferEncoding(HttpHeaders headers, HttpVersion version) {
        if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return;
        }
        List<String> values = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (version.minorVersion() == 0) {
            throw bad("Transfer-Encoding in an HTTP/1.0 request");
        }
        List<String> codings = values.stream().flatMap(v -> List.of(v.split(",", -1)).stream())
                .map(c -> c.trim().toLowerCase(Locale.ROOT)).filter(c -> !c.isEmpty()).toList();
        if (!codings.equals(List.of("chunked"))) {
            throw bad("Transfer-Encoding " + String.join(", ", codings) + " (only chunked is accepted)");
        }
    }

    /**
     * RFC 9112 3.2.2: a server must accept an absolute-form target, and its authority replaces the Host
     * header. The path (and query) become the target the dispatcher parses.
     */
    private static void toOriginForm(HttpRequest request, String target, int schemeEnd) {
        int authorityStart = schemeEnd + 3;
        int end = authorityStart;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        String authority = target.substring(authorityStart, end);
        if (!validAuthority(authority, false)) {
            throw bad("invalid authority in an absolute-form target");
        }
        String rest = target.substring(end);
        request.setUri(rest.startsWith("/") ? rest : "/" + rest);
        request.headers().set(HttpHeaderNames.HOST, authority);
    }

    private static boolean isHttpScheme(String scheme) {
        return scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https");
    }

    /**
     * RFC 3986 3.2.2 and 3.2.3: a host (a name or an IPv4 address of unreserved, percent-encoded and
     * sub-delimiter characters, or a bracketed IP literal) and an optional port of digits. No user
     * information: RFC 9110 4.2.4 forbids it in http URIs. An empty Host is allowed (RFC 9112 3.2).
     */
    private static boolean validAuthority(String authority, boolean emptyAllowed) {
        if (authority.isEmpty()) {
            return emptyAllowed;
        }
        String host = authority;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && colon > authority.lastIndexOf(']')) {
            for (int i = colon + 1; i < authority.length(); i++) {
                if (authority.charAt(i) < '0' || authority.charAt(i) > '9') {
                    return false;
                }
            }
            host = authority.substring(0, colon);
        }
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() <= 2) {
                return false;
            }
            for (int i = 1; i < host.length() - 1; i++) {
                if (!isHexOrLiteral(host.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
        if (host.isEmpty()) {
            return false;
        }
        // Plain loops: the streams these were cost more than the rest of the request's validation (JFR).
        for (int i = 0; i < host.length(); i++) {
            if (!isRegNameChar(host.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRegNameChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static boolean isHexOrLiteral(int c) {
        return Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == 'v' || c == 'V';
    }

    private static MalformedRequestException bad(String why) {
        return new MalformedRequestException(HttpResponseStatus.BAD_REQUEST, why);
    }
}
