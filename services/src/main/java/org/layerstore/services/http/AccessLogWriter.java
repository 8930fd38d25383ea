// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Takes lines from the threads that answer requests and writes them on a thread of its own, in batches:
 * a request costs its event loop one bounded-queue offer, never a write, a lock held by an appender, a
 * formatter or a wakeup. The writer drains the queue every {@code interval} (sooner when the queue is
 * half full), so lines appear at most that late. When the queue is full the line is dropped and counted,
 * never waited for: the count is written, as one line, with the next batch. {@link #flush} writes
 * everything queued before it returns (shutdown calls it after the last connection closed).
 *
 * @param <L> a line's fields, formatted by the writer
 */
final class AccessLogWriter<L> implements AutoCloseable {

    /** Lines written per batch at most, so that a flush or a close never waits behind an unbounded drain. */
    static final int BATCH = 1024;

    private final BlockingQueue<L> queue;
    private final int wakeAt;
    private final long intervalNanos;
    private final Consumer<L> sink;
    private final Consumer<Long> droppedSink;
    private final AtomicLong dropped = new AtomicLong();
    /** Lines taken from the queue and written, for {@link #flush}: it waits until all it saw queued are. */
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param capacity    lines the queue holds; more are dropped (counted)
     * @param interval    how long lines may wait in the queue
     * @param sink        writes one line (on the writer's thread)
     * @param droppedSink writes the number of lines dropped since it was last called
     */
    AccessLogWriter(int capacity, long interval, TimeUnit unit, Consumer<L> sink, Consumer<Long> droppedSink) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.wakeAt = Math.max(1, capacity / 2);
        this.intervalNanos = unit.toNanos(interval);
        this.sink = sink;
        this.droppedSink = droppedSink;
        this.thread = Thread.ofPlatform().name("layerstore-access-log").daemon().unstarted(this::run);
        thread.start();
    }

    /** Queues {@code line}; false (and counted) when the queue is full. Never blocks. */
    boolean offer(L line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
            return false;
        }
        accepted.incrementAndGet();
        if (queue.size() >= wakeAt) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Lines dropped because the queue was full, since the start. */
    long dropped() {
        return dropped.get();
    }

    /** Returns once every line queued before the call is written (or after {@code timeout}). */
    void flush(long timeout, TimeUnit unit) {
        long target = accepted.get();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (written.get() < target && System.nanoTime() < deadline && thread.isAlive()) {
            LockSupport.unpark(thread);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Writes what is queued, then stops the writer's thread. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<L> batch = new ArrayList<>(BATCH);
        long reportedDrops = 0;
        while (true) {
            boolean last = stopping;
            while (queue.drainTo(batch, BATCH) > 0) {
                for (L line : batch) {
                    try {
                        sink.accept(line);
                    } catch (RuntimeException e) {
                        // one line that cannot be written must not stop the log: the appender reports its own errors
                    }
                }
                written.addAndGet(batch.size());
                batch.clear();
            }
            long drops = dropped.get();
            if (drops != reportedDrops) {
                droppedSink.accept(drops - reportedDrops);
                reportedDrops = drops;
            }
            if (last) {
                return;
            }
            LockSupport.parkNanos(this, intervalNanos);
        }
    }
}
