// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import org.layerstore.datapath.OpenFile;

/** A regular file of a share, open for reading, with the status read from its descriptor. */
public record ShareFile(Resource resource, OpenFile file, FileState state) {
}
