// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The WebDAV If header (RFC 4918 section 10.4), parsed by an explicit scanner: lists of conditions,
 * each list optionally tagged with the resource it is about. The header holds when any list holds; a
 * list holds when all its conditions do.
 */
public record IfHeader(List<ConditionList> lists) {

    /** One condition: a state token or an entity tag, possibly negated. Exactly one of token, etag is set. */
    public record Condition(boolean not, String token, String etag) {
    }

    /** A parenthesized list, with the resource tag it applies to (null: the request URI). */
    public record ConditionList(String tag, List<Condition> conditions) {
    }

    /** The header is not valid If syntax (400). */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String header, String why) {
            super("malformed If header (" + why + "): " + header);
        }
    }

    /** What the evaluation needs to know about the resources the lists name. */
    public interface State {
        /** The current strong ETag of the tagged resource (null: the request URI), or null if it does not exist. */
        String etag(String tag);

        /** Whether {@code token} is a lock that covers the tagged resource. */
        boolean locked(String tag, String token);
    }

    public IfHeader {
        lists = List.copyOf(lists);
    }

    public static IfHeader parse(String header) throws MalformedException {
        List<ConditionList> lists = new ArrayList<>();
        String tag = null;
        int i = 0;
        int n = header.length();
        while (true) {
            i = skipSpace(header, i);
            if (i >= n) {
                break;
            }
            char c = header.charAt(i);
            if (c == '<') {
                int end = header.indexOf('>', i);
                if (end < 0) {
                    throw new MalformedException(header, "unterminated resource tag");
                }
                tag = header.substring(i + 1, end);
                i = end + 1;
                continue;
            }
            if (c != '(') {
                throw new MalformedException(header, "expected '(' at " + i);
            }
            i++;
            List<Condition> conditions = new ArrayList<>();
            while (true) {
                i = skipSpace(header, i);
                if (i >= n) {
                    throw new MalformedException(header, "unterminated list");
                }
                if (header.charAt(i) == ')') {
                    i++;
                    break;
                }
                boolean not = false;
                if (header.regionMatches(true, i, "Not", 0, 3)) {
                    not = true;
                    i = skipSpace(header, i + 3);
                }
                if (i >= n) {
                    throw new MalformedException(header, "condition missing");
                }
                char d = header.charAt(i);
                if (d == '<') {
                    int end = header.indexOf('>', i);
                    if (end < 0) {
                        throw new MalformedException(header, "unterminated state token");
                    }
                    conditions.add(new Condition(not, header.substring(i + 1, end), null));
                    i = end + 1;
                } else if (d == '[') {
                    int end = header.indexOf(']', i);
                    if (end < 0) {
                        throw new MalformedException(header, "unterminated entity tag");
                    }
                    conditions.add(new Condition(not, null, header.substring(i + 1, end).trim()));
                    i = end + 1;
                } else {
                    throw new MalformedException(header, "unexpected '" + d + "' at " + i);
                }
            }
            if (conditions.isEmpty()) {
                throw new MalformedException(header, "empty list");
            }
            lists.add(new ConditionList(tag, conditions));
        }
        if (lists.isEmpty()) {
            throw new MalformedException(header, "no list");
        }
        return new IfHeader(lists);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** Whether the header holds: some list whose every condition is true. */
    public boolean evaluate(State state) {
        for (ConditionList list : lists) {
            boolean all = true;
            for (Condition c : list.conditions()) {
                boolean value;
                if (c.token() != null) {
                    value = state.locked(list.tag(), c.token());
                } else {
                    String current = state.etag(list.tag());
                    value = current != null && sameTag(current, c.etag());
                }
                if (value == c.not()) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** The lock tokens the client submitted: every state token named without "Not". */
    public Set<String> submittedTokens() {
        Set<String> tokens = new LinkedHashSet<>();
        for (ConditionList list : lists) {
            for (Condition c : list.conditions()) {
                if (c.token() != null && !c.not()) {
                    tokens.add(c.token());
                }
            }
        }
        return tokens;
    }

    private static boolean sameTag(String current, String given) {
        String g = given.startsWith("W/") ? given.substring(2) : given;
        return current.equals(g);
    }
}
