// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Parses WebDAV request bodies with the JDK's parser, namespace-aware, with DOCTYPE declarations
 * refused outright (so no DTD, no external entity, no entity expansion bomb) and no external access.
 */
public final class XmlBodies {

    public static final String DAV = "DAV:";

    /** The body is not well-formed XML, or declares a DOCTYPE. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final DocumentBuilderFactory FACTORY = factory();

    private XmlBodies() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required safety feature", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** The document element of a body, or null for an empty body. */
    public static Element parse(byte[] body) throws MalformedException {
        if (body.length == 0) {
            return null;
        }
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            Document doc = builder.parse(new ByteArrayInputStream(body));
            return doc.getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new MalformedException("request body is not well-formed XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code node} is the DAV: element {@code local}. */
    public static boolean isDav(Node node, String local) {
        return node instanceof Element e && DAV.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
    }

    /** The first DAV: child element named {@code local}, or null. */
    public static Element davChild(Element parent, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (isDav(n, local)) {
                return (Element) n;
            }
        }
        return null;
    }
}
