// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.ranges;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Range header of RFC 9110 section 14.2 applied to a representation of known length. The parser
 * is explicit rather than regular-expression based, so every refusal has a reason and a test.
 *
 * <p>Outcomes: {@link Kind#FULL} (no header, a syntax error, another unit, or more ranges or overlaps
 * than the limits allow: the whole representation is sent, as RFC 9110 permits ignoring Range);
 * {@link Kind#PARTIAL} with the satisfiable ranges in request order (overlapping ones
 * coalesced, in ascending order); {@link Kind#UNSATISFIABLE} when
 * none is satisfiable (416).
 */
public record RangeRequest(Kind kind, List<ByteRange> ranges) {

    public enum Kind { FULL, PARTIAL, UNSATISFIABLE }

    private static final RangeRequest FULL = new RangeRequest(Kind.FULL, List.of());
    private static final RangeRequest UNSATISFIABLE = new RangeRequest(Kind.UNSATISFIABLE, List.of());

    public RangeRequest {
        ranges = List.copyOf(ranges);
    }

    /**
     * @param header          the Range header's value, or null
     * @param length          the representation's length in bytes
     * @param maxRanges       more ranges than this and the header is ignored
     * @param maxOverlapping  more ranges overlapping an earlier one than this and the header is ignored
     */
    public static RangeRequest parse(String header, long length, int maxRanges, int maxOverlapping) {
        if (header == null) {
            return FULL;
        }
        String h = header.trim();
        int eq = h.indexOf('=');
        if (eq <= 0 || !h.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return FULL;
        }
        String[] specs = h.substring(eq + 1).split(",", -1);
        if (specs.length > maxRanges) {
            return FULL;
        }
        List<ByteRange> satisfiable = new ArrayList<>(specs.length);
        int parsed = 0;
        for (String raw : specs) {
            String spec = raw.trim();
            if (spec.isEmpty()) {
                continue; // RFC 9110 allows empty list elements
            }
            long[] bounds = parseSpec(spec);
            if (bounds == null) {
                return FULL;
            }
            parsed++;
            ByteRange range = resolve(bounds[0], bounds[1], length);
            if (range != null) {
                satisfiable.add(range);
            }
        }
        if (parsed == 0) {
            return FULL;
        }
        if (satisfiable.isEmpty()) {
            return UNSATISFIABLE;
        }
        int overlapping = overlapping(satisfiable);
        if (overlapping > maxOverlapping) {
            return FULL;
        }
        return new RangeRequest(Kind.PARTIAL, overlapping == 0 ? satisfiable : coalesced(satisfiable));
    }

    /**
     * Overlapping ranges merged into one, in ascending order, so no byte is sent twice ({@code bytes=0-,0-}
     * is the file once); RFC 9110 14.2 lets a server coalesce overlapping ranges whatever their order.
     */
    private static List<ByteRange> coalesced(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> merged = new ArrayList<>(sorted.size());
        ByteRange open = sorted.getFirst();
        for (ByteRange next : sorted.subList(1, sorted.size())) {
            if (next.overlaps(open)) {
                open = new ByteRange(open.first(), Math.max(open.last(), next.last()));
            } else {
                merged.add(open);
                open = next;
            }
        }
        merged.add(open);
        return merged;
    }

    /** {first, last} with -1 for an absent bound; null when the spec is not a valid range-spec. */
    private static long[] parseSpec(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0 || dash != spec.lastIndexOf('-')) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (a.isEmpty() && b.isEmpty()) {
            return null;
        }
        long first = a.isEmpty() ? -1 : digits(a);
        long last = b.isEmpty() ? -1 : digits(b);
        if ((!a.isEmpty() && first < 0) || (!b.isEmpty() && last < 0)) {
            return null;
        }
        if (first >= 0 && last >= 0 && last < first) {
            return null; // RFC 9110: an invalid range-spec makes the whole header invalid
        }
        return new long[] {first, last};
    }

    /** A non-negative decimal, or -1 when not all digits or too large for a long. */
    private static long digits(String s) {
        if (s.length() > 18) {
            return s.chars().allMatch(Character::isDigit) ? Long.MAX_VALUE : -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static ByteRange resolve(long first, long last, long length) {
        if (first < 0) { // suffix: the last N bytes
            if (last == 0 || length == 0) {
                return null;
            }
            return new ByteRange(Math.max(0, length - last), length - 1);
        }
        if (first >= length) {
            return null;
        }
        return new ByteRange(first, last < 0 || last >= length ? length - 1 : last);
    }

    private static int overlapping(List<ByteRange> ranges) {
        int count = 0;
        for (int i = 1; i < ranges.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (ranges.get(i).overlaps(ranges.get(j))) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }
}
