// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.layerstore.services.http.webdav.XmlText;

/** The browsable HTML listing of a directory: folders first, then files, each sorted by name. */
final class DirectoryListingPage {

    private record Entry(String name, boolean directory, long size, String modified) {
    }

    private DirectoryListingPage() {
    }

    /**
     * Lists {@code listed}, the open folder of {@code dir}. An entry is shown only as what it leads to
     * inside the share: a symbolic link that leads outside (or nowhere) is left out, as nginx does with
     * {@code disable_symlinks} and Apache without {@code FollowSymLinks}, so the page never shows an outside
     * file's name, size or time.
     *
     * @param title     the directory's URL path, shown as the heading
     * @param hasParent whether to offer a link to the parent folder
     */
    static String render(String title, Resource dir, Path listed, boolean hasParent) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(listed)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (name.startsWith(Share.RESERVED_PREFIX)) {
                    continue; // an upload in progress, not a file yet
                }
                Optional<FileState> state = dir.share().stateInside(dir.child(name));
                if (state.isEmpty()) {
                    continue; // deleted while listing, a dangling link, or a link that leads outside the share
                }
                entries.add(new Entry(name, state.get().directory(), state.get().size(), state.get().lastModified()));
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> !e.directory()).thenComparing(Entry::name));
        return render(title, entries, hasParent);
    }

    /** The page for a list of named folders (the share list at "/"). */
    static String renderFolders(String title, List<String> names) {
        return render(title, names.stream().sorted().map(n -> new Entry(n, true, 0, "")).toList(), false);
    }

    private static String render(String title, List<Entry> entries, boolean hasParent) {
        StringBuilder b = new StringBuilder(512 + entries.size() * 160);
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}td{padding:.2em 1em}"
                        + "td.n{text-align:right}</style></head>\n<body><h1>Index of ")
                .append(escape(title)).append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified</th></tr>\n");
        if (hasParent) {
            b.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        }
        for (Entry e : entries) {
            String href = PathSegments.encode(e.name()) + (e.directory() ? "/" : "");
            b.append("<tr><td><a href=\"").append(escape(href)).append("\">").append(escape(e.name()))
                    .append(e.directory() ? "/" : "").append("</a></td><td class=\"n\">")
                    .append(e.directory() ? "" : Long.toString(e.size())).append("</td><td>").append(e.modified())
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    static String escape(String s) {
        return XmlText.escape(s);
    }
}
