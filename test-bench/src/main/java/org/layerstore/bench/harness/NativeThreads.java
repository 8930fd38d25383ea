// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The threads of a JVM that the JVM does not know: those a native library started with pthread_create and
 * never attached (in the appliance, the emulated frame manager's FMan/QMan and RX threads). They are the
 * process's threads ({@code /proc/<pid>/task}) that {@code jcmd <pid> Thread.print} does not list; it lists
 * every Java thread and the JVM's own (GC, compiler, VM thread) with their {@code nid}, the Linux thread id.
 * The process's first thread (thread id = process id) is left out too: the java launcher's, which only
 * waits for the JVM to end.
 */
final class NativeThreads {

    private static final Pattern NID = Pattern.compile("\\bnid=(0x[0-9a-fA-F]+|\\d+)\\b");

    private NativeThreads() {
    }

    /** The thread ids of {@code pid} that are not the JVM's. */
    static Set<Long> of(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> dump = ManagedProcess.runToEnd("jcmd Thread.print",
                List.of(jcmd.toString(), Long.toString(pid), "Thread.print"), Duration.ofSeconds(60));
        Set<Long> threads = new TreeSet<>(ProcFs.threadCpu(pid).keySet());
        threads.removeAll(jvmThreads(dump));
        threads.remove(pid);
        return threads;
    }

    /** The Linux thread ids in a {@code Thread.print} dump (decimal since JDK 19, hexadecimal before). */
    static Set<Long> jvmThreads(List<String> dump) {
        Set<Long> ids = new HashSet<>();
        for (String line : dump) {
            Matcher m = NID.matcher(line);
            if (m.find()) {
                String nid = m.group(1);
                ids.add(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid));
            }
        }
        return ids;
    }
}
