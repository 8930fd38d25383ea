// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class IfHeaderTest {

    /** The request URI has ETag "e1" and lock token urn:uuid:a; the tagged /other has neither. */
    private static final IfHeader.State STATE = new IfHeader.State() {
        @Override
        public String etag(String tag) {
            return tag == null ? "\"e1\"" : null;
        }

        @Override
        public boolean locked(String tag, String token) {
            return tag == null && token.equals("urn:uuid:a");
        }
    };

    private static boolean holds(String header) throws Exception {
        return IfHeader.parse(header).evaluate(STATE);
    }

    @Test
    void listsAreOredAndConditionsAnded() throws Exception {
        assertTrue(holds("(<urn:uuid:a>)"));
        assertTrue(holds("(<urn:uuid:a> [\"e1\"])"));
        assertFalse(holds("(<urn:uuid:a> [\"e2\"])"));
        assertTrue(holds("(<urn:uuid:b>) (Not <DAV:no-lock>)"));
        assertFalse(holds("(<urn:uuid:b>) ([\"e2\"])"));
        assertTrue(holds("(Not <urn:uuid:b> [W/\"e1\"])"));
        assertFalse(holds("<http://h/other> (<urn:uuid:a>)"));
        assertTrue(holds("<http://h/other> (<urn:uuid:a>) </x> (Not [\"e1\"])"));
    }

    @Test
    void submittedTokensAreThePositiveOnes() throws Exception {
        assertEquals(Set.of("urn:uuid:a", "urn:uuid:c"),
                IfHeader.parse("(<urn:uuid:a> Not <urn:uuid:b>) <http://h/x> (<urn:uuid:c>)").submittedTokens());
    }

    @Test
    void malformedHeadersAreRejected() {
        for (String h : List.of("", "x", "(", "()", "(<urn:uuid:a>", "(<urn:uuid:a)", "([\"e1\")", "<http://h/x>",
                "(Not)", "(<a>) junk")) {
            assertThrows(IfHeader.MalformedException.class, () -> IfHeader.parse(h), h);
        }
    }
}
