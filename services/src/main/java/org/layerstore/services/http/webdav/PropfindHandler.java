// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.PathDescriptor;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.FileState;
import org.layerstore.services.http.MethodHandler;
import org.layerstore.services.http.OpenedInside;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Resource;
import org.layerstore.services.http.Share;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * PROPFIND with Depth 0 or 1. Depth infinity (or no Depth, which means infinity) is refused with 403
 * and DAV:propfind-finite-depth, as Apache does with DavDepthInfinity off: one request must not walk a
 * whole tree. Depth 1 on a folder streams its members' responses (any number, in bounded memory, up to
 * {@code maxPropfindEntries}); a Depth 0 response is built whole, within {@code maxPropfindResponseBytes}
 * (both limits answer 507).
 */
public final class PropfindHandler implements MethodHandler {

    private enum Mode { ALLPROP, PROPNAME, PROP }

    private final LockManager locks;
    private final LimitSettings limits;

    public PropfindHandler(LockManager locks, LimitSettings limits) {
        this.locks = locks;
        this.limits = limits;
    }

    @Override
    public void handle(Exchange ex, Resource resource, byte[] body) throws IOException, PathRefusedException {
        String depth = ex.header("Depth");
        if (depth == null || depth.trim().equalsIgnoreCase("infinity")) {
            DavResponses.error(ex, HttpResponseStatus.FORBIDDEN, "<D:propfind-finite-depth/>");
            return;
        }
        if (!depth.trim().equals("0") && !depth.trim().equals("1")) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "Depth must be 0 or 1, got " + depth + "\n");
            return;
        }
        Mode mode = Mode.ALLPROP;
        List<PropertyName> asked = new ArrayList<>();
        try {
            Element root = XmlBodies.parse(body);
            if (root != null) {
                if (!XmlBodies.isDav(root, "propfind")) {
                    ex.text(HttpResponseStatus.BAD_REQUEST, "PROPFIND body must be a DAV:propfind element\n");
                    return;
                }
                Element prop = XmlBodies.davChild(root, "prop");
                if (prop != null) {
                    mode = Mode.PROP;
                    for (Node n = prop.getFirstChild(); n != null; n = n.getNextSibling()) {
                        if (n instanceof Element e) {
                            asked.add(PropertyName.of(e));
                        }
                    }
                } else if (XmlBodies.davChild(root, "propname") != null) {
                    mode = Mode.PROPNAME;
                } else if (XmlBodies.davChild(root, "allprop") == null) {
                    ex.text(HttpResponseStatus.BAD_REQUEST, "PROPFIND needs prop, propname or allprop\n");
                    return;
                }
            }
        } catch (XmlBodies.MalformedException e) {
            ex.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return;
        }
        // Opened inside the share (403 for a link that leads out), and its members listed from that
        // descriptor: a link swapped after the check cannot turn this listing into one of another folder.
        try (PathDescriptor opened = resource.share().pathInside(resource, ex.request.uri())) {
            if (depth.trim().equals("1") && isDirectory(opened, resource)) {
                list(ex, resource, opened.procPath(), mode, asked);
                return;
            }
        }
        StringBuilder out = new StringBuilder();
        if (!describeInside(out, resource, mode, asked)) {
            throw PathRefusedException.notFound(ex.request.uri());
        }
        if (out.length() > limits.maxPropfindResponseBytes()) {
            DavResponses.error(ex, DavResponses.INSUFFICIENT_STORAGE, "<D:number-of-matches-within-limits/>");
            return;
        }
        DavResponses.multistatus(ex, out);
    }

    private static boolean isDirectory(PathDescriptor opened, Resource resource) throws IOException {
        try {
            return opened.status().isDirectory();
        } catch (NativeCallException e) {
            throw new IOException("statx of " + resource.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Depth 1 on a folder, listed through {@code opened} (its descriptor's path): the folder and each member,
     * streamed ({@link MultistatusStream}) so a folder of any size is listed in bounded memory. Members are
     * counted first, without their status, so a folder over {@code maxPropfindEntries} is refused (507) before
     * the 207 goes out.
     */
    private void list(Exchange ex, Resource folder, Path opened, Mode mode, List<PropertyName> asked) throws IOException {
        long members = 0;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(opened, PropfindHandler::listed)) {
            for (Path ignored : children) {
                if (++members >= limits.maxPropfindEntries()) {
                    DavResponses.error(ex, DavResponses.INSUFFICIENT_STORAGE, "<D:number-of-matches-within-limits/>");
                    return;
                }
            }
        }
        MultistatusStream stream = MultistatusStream.start(ex, limits.idleTimeoutSeconds());
        try (DirectoryStream<Path> children = Files.newDirectoryStream(opened, PropfindHandler::listed)) {
            describeInside(stream.out(), folder, mode, asked);
            for (Path child : children) {
                describeInside(stream.out(), folder.child(child.getFileName().toString()), mode, asked);
                stream.flushWhenFull();
            }
        } catch (IOException | DirectoryIteratorException e) {
            stream.abort(e instanceof DirectoryIteratorException d ? d.getCause() : (IOException) e);
            return;
        }
        stream.finish();
    }

    /** Members a listing shows: not the server's own (upload temporaries, the journal, the sidecar store). */
    private static boolean listed(Path child) {
        return !child.getFileName().toString().startsWith(Share.RESERVED_PREFIX);
    }

    /**
     * Describes what {@code r} leads to inside the share, and returns true; a link that leads outside (or
     * nowhere), or a member deleted meanwhile, is left out (false), as from folder pages, so no outside
     * file's size, time or inode shows.
     */
    private boolean describeInside(StringBuilder out, Resource r, Mode mode, List<PropertyName> asked)
            throws IOException {
        Optional<OpenedInside> opened = r.share().openedInside(r);
        if (opened.isEmpty()) {
            return false;
        }
        try (OpenedInside member = opened.get()) {
            describe(out, r, member, mode, asked);
        }
        return true;
    }

    private void describe(StringBuilder out, Resource r, OpenedInside opened, Mode mode, List<PropertyName> asked)
            throws IOException {
        FileState state = opened.state();
        LiveProperties live = new LiveProperties(r, opened, locks);
        Map<PropertyName, String> dead = r.share().properties().read(r.path(), opened.path());
        StringBuilder found = new StringBuilder();
        StringBuilder missing = new StringBuilder();
        switch (mode) {
            case ALLPROP -> {
                for (String name : LiveProperties.ALLPROP) {
                    String e = live.element(name);
                    if (e != null) {
                        found.append(e);
                    }
                }
                dead.values().forEach(found::append);
            }
            case PROPNAME -> {
                for (String name : LiveProperties.ALLPROP) {
                    if (live.element(name) != null) {
                        found.append("<D:").append(name).append("/>");
                    }
                }
                dead.keySet().forEach(n -> found.append(n.emptyElement()));
            }
            case PROP -> {
                for (PropertyName name : asked) {
                    String e = LiveProperties.isLive(name) ? live.element(name.local()) : dead.get(name);
                    if (e != null) {
                        found.append(e);
                    } else {
                        missing.append(name.emptyElement());
                    }
                }
            }
        }
        out.append("<D:response><D:href>").append(XmlText.escape(r.href(state.directory()))).append("</D:href>");
        if (!found.isEmpty() || missing.isEmpty()) {
            propstat(out, found, HttpResponseStatus.OK);
        }
        if (!missing.isEmpty()) {
            propstat(out, missing, HttpResponseStatus.NOT_FOUND);
        }
        out.append("</D:response>");
    }

    static void propstat(StringBuilder out, CharSequence props, HttpResponseStatus status) {
        out.append("<D:propstat><D:prop>").append(props).append("</D:prop><D:status>")
                .append(DavResponses.statusLine(status)).append("</D:status></D:propstat>");
    }
}
