// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.util.HashMap;
import java.util.Map;

import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * XML text for responses: escaping, and serializing a parsed element as a self-contained fragment
 * (every namespace it uses declared on it), so a dead property's value can be stored and later
 * embedded into any multistatus response unchanged.
 */
public final class XmlText {

    private XmlText() {
    }

    /** Escapes text for XML and HTML content and attribute values (either quote). */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\r' -> b.append("&#13;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The element and its content as XML text that declares every namespace it uses. */
    public static String fragment(Element element) {
        StringBuilder b = new StringBuilder(128);
        Map<String, String> scope = new HashMap<>();
        scope.put("", "");
        write(element, scope, b);
        return b.toString();
    }

    /** An empty element {@code <ns:local xmlns:ns="uri"/>} for a property name in any namespace. */
    public static String emptyElement(String namespace, String local) {
        if (namespace.isEmpty()) {
            return "<" + local + " xmlns=\"\"/>";
        }
        return "<R:" + local + " xmlns:R=\"" + escape(namespace) + "\"/>";
    }

    private static void write(Element e, Map<String, String> outer, StringBuilder b) {
        Map<String, String> scope = new HashMap<>(outer);
        String prefix = e.getPrefix() == null ? "" : e.getPrefix();
        String ns = e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
        String name = prefix.isEmpty() ? e.getLocalName() : prefix + ":" + e.getLocalName();
        b.append('<').append(name);
        declare(prefix, ns, scope, b);
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if ("http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI())) {
                continue; // declarations are re-derived from use
            }
            String ap = a.getPrefix() == null ? "" : a.getPrefix();
            if (!ap.isEmpty() && !ap.equals("xml")) {
                declare(ap, a.getNamespaceURI(), scope, b);
            }
            b.append(' ').append(ap.isEmpty() ? a.getLocalName() : ap + ":" + a.getLocalName()).append("=\"")
                    .append(escape(a.getValue())).append('"');
        }
        if (!e.hasChildNodes()) {
            b.append("/>");
            return;
        }
        b.append('>');
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeType()) {
                case Node.ELEMENT_NODE -> write((Element) n, scope, b);
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> b.append(escape(n.getNodeValue()));
                default -> {
                    // comments and processing instructions are not part of a property's value
                }
            }
        }
        b.append("</").append(name).append('>');
    }

    private static void declare(String prefix, String ns, Map<String, String> scope, StringBuilder b) {
        if (ns.equals(scope.get(prefix))) {
            return;
        }
        scope.put(prefix, ns);
        b.append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("=\"").append(escape(ns)).append('"');
    }
}
