// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.frames.FramePlan;
import org.layerstore.datapath.frames.PhysicalRun;
import org.layerstore.datapath.frames.RangeTranslator;
import org.layerstore.datapath.frames.TranslatedRange;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.pagemap.PagemapReader;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Shows what sending a file range by physical address would take: its pages as physical runs, and the frames
 * and S/G entries the DPAA1 formats would need for it (software segmentation, 15 payload entries a frame).
 * Exit status 1 with the reason when physical addresses are unavailable.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a file's pages as physical runs and the frame descriptors a send by physical address would build.")
final class InspectCommand implements Callable<Integer> {

    private static final double MIB = 1024.0 * 1024.0;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file.")
    Path file;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "First byte of the range (default 0).")
    long offset;

    @Option(names = "--length", paramLabel = "N", description = "Bytes in the range (default: to the end of the file).")
    Long length;

    @Option(names = "--json", description = "Print JSON: runs, frames, summary.")
    boolean json;

    @Option(names = "--mss", paramLabel = "N", defaultValue = "1460",
            description = "The connection's MSS; segments are also cut to the MAC max frame (default ${DEFAULT-VALUE}).")
    int mss;

    @Option(names = "--soc", paramLabel = "SOC",
            description = "Format limits of this SoC's defaults instead of the board's: ls1046a or ls1043a (erratum A050385).")
    String soc;

    @Mixin
    BoardOption board;

    @Option(names = "--mac-max-frame", paramLabel = "BYTES", description = "MAC maximum frame size (default 1522; jumbo up to 9600).")
    Integer macMaxFrame;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "64",
            description = "Frames to list; the summary always counts all of them (default ${DEFAULT-VALUE}; -1 lists all).")
    int maxFrames;

    @Override
    public Integer call() throws IOException {
        DatapathLimits limits = limits();
        try (OpenFile in = OpenFile.read(file)) {
            long size = in.size();
            FileRange range = FileRange.within(offset, length == null ? Math.max(0, size - offset) : length, size);
            try (PagemapReader pagemap = PagemapReader.self(PageSize.system());
                 TranslatedRange translated = new RangeTranslator(limits, pagemap).translate(in.channel(), range, mss)) {
                if (!translated.usable()) {
                    spec.commandLine().getErr().println("inspect: " + file + ": physical addresses unavailable: "
                            + translated.unusableReason().orElseThrow());
                    return ErrorReporter.FAILURE;
                }
                if (json) {
                    printJson(range, translated);
                } else {
                    printText(range, translated);
                }
                return 0;
            }
        }
    }

    private DatapathLimits limits() {
        DatapathLimits limits = soc == null ? board.datapath().limits() : switch (soc.toLowerCase(Locale.ROOT)) {
            case "ls1046a" -> DatapathLimits.ls1046a();
            case "ls1043a" -> DatapathLimits.ls1043a();
            default -> throw new IllegalArgumentException("unknown SoC '" + soc + "': use ls1046a or ls1043a");
        };
        return macMaxFrame == null ? limits : limits.withMacMaxFrameBytes(macMaxFrame);
    }



    private int framesToList(FramePlan plan) {
        return maxFrames < 0 ? plan.frameCount() : Math.min(maxFrames, plan.frameCount());
    }

    private void printText(FileRange range, TranslatedRange translated) {
        PrintWriter out = spec.commandLine().getOut();
        FramePlan plan = translated.frames();
        out.printf("%s: bytes [%d, %d), %d bytes, page size %d%n", file, range.offset(), range.end(), range.length(),
                PageSize.system());
        out.printf("physical runs: %d%n", translated.runs().size());
        for (PhysicalRun run : translated.runs()) {
            out.printf("  0x%012x  %10d bytes  file offset %d%n", run.address(), run.length(), run.fileOffset());
        }
        int listed = framesToList(plan);
        out.printf("frames: %d (listing %d)%n", plan.frameCount(), listed);
        for (int f = 0; f < listed; f++) {
            out.printf("  frame %d: file offset %d, %d payload bytes, %s%n", f, plan.fileOffset(f), plan.payloadLength(f),
                    plan.bounced(f) ? "contiguous (bounced for A050385)" : "S/G: header + " + plan.entryCount(f) + " entries");
            for (int e = plan.firstEntry(f); e < plan.firstEntry(f) + plan.entryCount(f); e++) {
                out.printf("    0x%012x  %5d%n", plan.entryAddress(e), plan.entryLength(e));
            }
        }
        out.printf("summary: %d bytes in %d runs (%.2f runs per MiB), %d frames of at most %d payload bytes,"
                        + " %d S/G entries (%d payload + %d header), %d contiguous frames%n",
                range.length(), translated.runs().size(), runsPerMiB(range, translated), plan.frameCount(),
                plan.segmentPayload(), sgEntries(plan), plan.entryCount(), sgFrames(plan), plan.contiguousFrames());
        out.flush();
    }

    private void printJson(FileRange range, TranslatedRange translated) throws IOException {
        FramePlan plan = translated.frames();
        try (JsonGenerator json = new JsonFactory().createGenerator(spec.commandLine().getOut())) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeArrayFieldStart("runs");
            for (PhysicalRun run : translated.runs()) {
                json.writeStartObject();
                json.writeStringField("address", hex(run.address()));
                json.writeNumberField("length", run.length());
                json.writeNumberField("fileOffset", run.fileOffset());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("frames");
            int listed = framesToList(plan);
            for (int f = 0; f < listed; f++) {
                json.writeStartObject();
                json.writeNumberField("fileOffset", plan.fileOffset(f));
                json.writeNumberField("payloadLength", plan.payloadLength(f));
                json.writeStringField("format", plan.bounced(f) ? "contiguous" : "sg");
                json.writeArrayFieldStart("entries");
                for (int e = plan.firstEntry(f); e < plan.firstEntry(f) + plan.entryCount(f); e++) {
                    json.writeStartObject();
                    json.writeStringField("address", hex(plan.entryAddress(e)));
                    json.writeNumberField("length", plan.entryLength(e));
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("summary");
            json.writeStringField("file", file.toString());
            json.writeNumberField("offset", range.offset());
            json.writeNumberField("length", range.length());
            json.writeNumberField("pageSize", PageSize.system());
            json.writeNumberField("runs", translated.runs().size());
            json.writeNumberField("runsPerMiB", runsPerMiB(range, translated));
            json.writeNumberField("frames", plan.frameCount());
            json.writeNumberField("framesListed", listed);
            json.writeNumberField("segmentPayload", plan.segmentPayload());
            json.writeNumberField("sgEntries", sgEntries(plan));
            json.writeNumberField("payloadEntries", plan.entryCount());
            json.writeNumberField("contiguousFrames", plan.contiguousFrames());
            json.writeEndObject();
            json.writeEndObject();
        }
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().flush();
    }

    /** S/G entries the frames use: every S/G frame has a header entry besides its payload entries. */
    private static long sgEntries(FramePlan plan) {
        return plan.entryCount() + sgFrames(plan);
    }

    private static long sgFrames(FramePlan plan) {
        return plan.frameCount() - plan.contiguousFrames();
    }

    private static double runsPerMiB(FileRange range, TranslatedRange translated) {
        return range.length() == 0 ? 0 : translated.runs().size() / (range.length() / MIB);
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
