// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The access log's writer thread: batched, bounded, never blocking the threads that record, complete at flush and close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessLogWriterTest {

    @Test
    void everyLineFromSeveralThreadsIsWrittenInEachThreadsOrderByTheTimeFlushReturns() throws Exception {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        AtomicLong dropped = new AtomicLong();
        // An interval far longer than the test: only flush (and the half-full wakeup) can get the lines out.
        try (AccessLogWriter<String> writer = new AccessLogWriter<>(100_000, 1, TimeUnit.HOURS, written::add,
                dropped::addAndGet)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        assertTrue(writer.offer(id + ":" + i));
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            writer.flush(30, TimeUnit.SECONDS);
            assertEquals(20_000, written.size());
            for (int t = 0; t < 4; t++) {
                String prefix = t + ":";
                List<String> mine = written.stream().filter(l -> l.startsWith(prefix)).toList();
                for (int i = 0; i < mine.size(); i++) {
                    assertEquals(prefix + i, mine.get(i));
                }
            }
            assertEquals(0, dropped.get());
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingAndTheCountIsWrittenOnceTheOutputCatchesUp() throws Exception {
        CountDownLatch outputStuck = new CountDownLatch(1);
        CountDownLatch firstLineTaken = new CountDownLatch(1);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        List<Long> dropReports = Collections.synchronizedList(new ArrayList<>());
        try (AccessLogWriter<String> writer = new AccessLogWriter<>(8, 1, TimeUnit.MILLISECONDS, line -> {
            firstLineTaken.countDown();
            try {
                outputStuck.await(); // a console nobody reads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(line);
        }, dropReports::add)) {
            assertTrue(writer.offer("first"));
            assertTrue(firstLineTaken.await(10, TimeUnit.SECONDS));
            int accepted = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                if (writer.offer("line " + i)) {
                    accepted++;
                }
            }
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 5, "offer never waits for the output");
            assertEquals(8, accepted, "the queue holds its capacity");
            assertEquals(92, writer.dropped());
            outputStuck.countDown();
            writer.flush(10, TimeUnit.SECONDS);
            assertEquals(9, written.size());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dropReports.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(List.of(92L), dropReports);
        }
    }

    @Test
    void closeWritesWhatIsStillQueued() {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        AccessLogWriter<String> writer = new AccessLogWriter<>(1_000, 1, TimeUnit.HOURS, written::add, n -> { });
        for (int i = 0; i < 100; i++) {
            writer.offer("line " + i);
        }
        writer.close();
        assertEquals(100, written.size());
        assertEquals("line 99", written.getLast());
    }
}
