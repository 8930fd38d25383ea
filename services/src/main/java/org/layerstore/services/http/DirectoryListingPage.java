package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.layerstore.services.http.webdav.XmlText;

/** The browsable HTML listing of a directory: folders first, then files, each sorted by name. */
final class DirectoryListingPage {

    private record Entry(String name, boolean directory, long size, String modified) {
    }

    private DirectoryListingPage() {
    }

    /**
     * @param title   the directory's URL path, shown as the heading
     * @param dir     the directory to list
     * @param hasParent whether to offer a link to the parent folder
     */
    static String render(String title, Path dir, boolean hasParent) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                if (child.getFileName().toString().startsWith(Share.RESERVED_PREFIX)) {
                    continue; // an upload in progress, not a file yet
                }
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(child, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // deleted while listing, or a dangling link: not worth a broken page
                }
                entries.add(new Entry(child.getFileName().toString(), attrs.isDirectory(), attrs.size(),
                        HttpDates.format(attrs.lastModifiedTime())));
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
