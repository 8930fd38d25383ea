package org.layerstore.services.http;

/** Turns a URL or path that a client named in a header (Destination, If) into a resource of a share. */
public interface Locator {

    /**
     * @param reference an absolute URL or an absolute path, percent-encoded
     * @return the resource, or null when it names no share on this server
     */
    Resource locate(String reference) throws PathRefusedException;
}
