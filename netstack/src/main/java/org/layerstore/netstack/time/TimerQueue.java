// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.time;

import java.util.PriorityQueue;

/**
 * The event loop's timers: a priority queue of deadlines on the injected {@link Clock}, run by
 * {@link #runDue} on the loop's thread (no locks). Re-arming a timer later (a retransmission timer on
 * every ACK) does not touch the queue: the old entry, when it comes due, finds the later deadline and
 * queues itself again, so each timer has at most one live entry in the common case.
 */
public final class TimerQueue {

    private record Entry(long at, Timer timer) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final Clock clock;

    public TimerQueue(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public long now() {
        return clock.nanos();
    }

    /** A new, disarmed timer that runs {@code action} on expiry. */
    public Timer newTimer(Runnable action) {
        return new Timer(this, action);
    }

    /** Runs every timer whose deadline has passed; returns how many ran. */
    public int runDue() {
        int ran = 0;
        long now = clock.nanos();
        while (!queue.isEmpty() && queue.peek().at - now <= 0) {
            Entry e = queue.poll();
            Timer t = e.timer;
            if (t.queuedAt != e.at || !t.queued) {
                continue;
            }
            t.queued = false;
            if (!t.armed) {
                continue;
            }
            if (t.deadline - now > 0) {
                enqueue(t);
                continue;
            }
            t.armed = false;
            t.action.run();
            ran++;
            now = clock.nanos();
        }
        return ran;
    }

    /** Nanoseconds until the earliest queued deadline (0 if due), or {@code Long.MAX_VALUE} when none. */
    public long nanosToNext() {
        Entry e = queue.peek();
        return e == null ? Long.MAX_VALUE : Math.max(0, e.at - clock.nanos());
    }

    void enqueue(Timer t) {
        t.queued = true;
        t.queuedAt = t.deadline;
        queue.add(new Entry(t.deadline, t));
    }

    /** A one-shot timer; {@link #arm} again to re-use it. */
    public static final class Timer {
        private final TimerQueue owner;
        private final Runnable action;
        private boolean armed;
        private long deadline;
        private boolean queued;
        private long queuedAt;

        private Timer(TimerQueue owner, Runnable action) {
            this.owner = owner;
            this.action = action;
        }

        /** Arms (or re-arms) the timer to run {@code delayNanos} from now. */
        public void armIn(long delayNanos) {
            deadline = owner.now() + delayNanos;
            armed = true;
            if (!queued || deadline - queuedAt < 0) {
                owner.enqueue(this);
            }
        }

        public void cancel() {
            armed = false;
        }

        public boolean armed() {
            return armed;
        }

        /** Nanoseconds until it runs (negative if overdue); meaningless when not armed. */
        public long remainingNanos() {
            return deadline - owner.now();
        }
    }
}
