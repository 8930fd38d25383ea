// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import org.w3c.dom.Element;

/** A property's qualified name; the empty namespace is a valid one (RFC 4918 allows it). */
public record PropertyName(String namespace, String local) {

    public static PropertyName of(Element e) {
        return new PropertyName(e.getNamespaceURI() == null ? "" : e.getNamespaceURI(), e.getLocalName());
    }

    public boolean isDav() {
        return XmlBodies.DAV.equals(namespace);
    }

    /** An empty element naming this property, declaring its namespace. */
    public String emptyElement() {
        return isDav() ? "<D:" + local + "/>" : XmlText.emptyElement(namespace, local);
    }
}
