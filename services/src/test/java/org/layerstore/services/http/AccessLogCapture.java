// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Collects the access log's lines while a test runs. */
final class AccessLogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("layerstore.access");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    AccessLogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    /** The first line containing {@code fragment}, waiting up to 5 s for it (lines are written when a response completes). */
    String await(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (String line : lines()) {
                if (line.contains(fragment)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access log line with " + fragment + " in " + lines());
    }

    List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
