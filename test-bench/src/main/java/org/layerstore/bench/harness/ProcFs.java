// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel says about a server's processes: CPU time (utime + stime from
 * {@code /proc/<pid>/stat}) and peak resident memory ({@code VmHWM} in {@code /proc/<pid>/status}).
 */
final class ProcFs {

    /** USER_HZ: the unit of utime and stime. 100 on every Linux the appliance runs on (x86-64, arm64). */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    /** CPU time used so far, split into user and kernel (system) time, in clock ticks. */
    record CpuTicks(long user, long system) {
        CpuTicks plus(CpuTicks other) {
            return new CpuTicks(user + other.user, system + other.system);
        }

        CpuTicks minus(CpuTicks other) {
            return new CpuTicks(user - other.user, system - other.system);
        }

        double userSeconds() {
            return (double) user / CLOCK_TICKS_PER_SECOND;
        }

        double systemSeconds() {
            return (double) system / CLOCK_TICKS_PER_SECOND;
        }

        double totalSeconds() {
            return userSeconds() + systemSeconds();
        }
    }

    static CpuTicks cpu(long pid) throws IOException {
        return ticksOf(statFields(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** CPU time of each thread of a process ({@code /proc/<pid>/task/<tid>/stat}), by thread id. */
    static Map<Long, CpuTicks> threadCpu(long pid) throws IOException {
        Map<Long, CpuTicks> threads = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    threads.put(Long.parseLong(task.getFileName().toString()), ticksOf(statFields(task.resolve("stat"))));
                } catch (NoSuchFileException e) {
                    // the thread ended while we looked
                }
            }
        }
        return threads;
    }

    /**
     * The scheduler's account of a thread ({@code /proc/<pid>/task/<tid>/schedstat}): nanoseconds on a CPU
     * and nanoseconds runnable but waiting for one.
     */
    record SchedStat(long runNanos, long waitNanos) {
        SchedStat plus(SchedStat other) {
            return new SchedStat(runNanos + other.runNanos, waitNanos + other.waitNanos);
        }

        SchedStat minus(SchedStat other) {
            return new SchedStat(runNanos - other.runNanos, waitNanos - other.waitNanos);
        }
    }

    /** The scheduler statistics of all threads of a process added up (threads that ended are not in it). */
    static SchedStat schedStat(long pid) throws IOException {
        SchedStat sum = new SchedStat(0, 0);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String[] f = Files.readString(task.resolve("schedstat")).strip().split(" ");
                    sum = sum.plus(new SchedStat(Long.parseLong(f[0]), Long.parseLong(f[1])));
                } catch (NoSuchFileException e) {
                    // the thread ended while we looked
                }
            }
        }
        return sum;
    }

    private static CpuTicks ticksOf(String[] fields) {
        // Fields after "(comm)": index 0 is field 3 (state); utime is field 14, stime field 15.
        return new CpuTicks(Long.parseLong(fields[11]), Long.parseLong(fields[12]));
    }

    static CpuTicks cpu(List<Long> pids) throws IOException {
        CpuTicks sum = new CpuTicks(0, 0);
        for (long pid : pids) {
            sum = sum.plus(cpu(pid));
        }
        return sum;
    }

    /** Peak resident set size in bytes since start or since the last {@link #resetPeakRss}. */
    static long peakRssBytes(long pid) throws IOException {
        return statusBytes(pid, "VmHWM");
    }

    /** Sum of the peaks of several processes (an upper bound of their joint peak). */
    static long peakRssBytes(List<Long> pids) throws IOException {
        long sum = 0;
        for (long pid : pids) {
            sum += peakRssBytes(pid);
        }
        return sum;
    }

    /**
     * Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux 4.0+), so the next reading is the
     * peak of one measurement; false when the kernel refused (then readings are peaks since start).
     */
    static boolean resetPeakRss(List<Long> pids) {
        boolean all = true;
        for (long pid : pids) {
            try {
                Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            } catch (IOException e) {
                all = false;
            }
        }
        return all;
    }

    /** The resident set size now ({@code VmRSS}). */
    static long rssBytes(long pid) throws IOException {
        return statusBytes(pid, "VmRSS");
    }

    /** A size line of {@code /proc/PID/status} ("VmRSS:    1234 kB", proc(5)), in bytes. */
    private static long statusBytes(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IOException("/proc/" + pid + "/status has no " + field + " line");
    }

    /** The one-minute load average ({@code /proc/loadavg}, first field). */
    static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ", 2)[0]);
    }

    /** The direct children of a process (nginx's workers under its master). */
    static List<Long> children(long parent) throws IOException {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                try {
                    if (Long.parseLong(statFields(proc.resolve("stat"))[1]) == parent) {
                        children.add(pid);
                    }
                } catch (NoSuchFileException e) {
                    // exited while we looked
                }
            }
        }
        return children;
    }

    private static String[] statFields(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        // comm may contain spaces and parentheses: the fields start after the last ')'.
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }
}
