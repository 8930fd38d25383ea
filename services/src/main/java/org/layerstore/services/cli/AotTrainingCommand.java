// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.layerstore.services.Appliance;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.ShareSettings;

import picocli.CommandLine.Command;

/**
 * The training run for the JDK's AOT cache (JEP 483/514): the launchers run this with
 * {@code -XX:AOTCacheOutput} at build time (or in the background on an installed system), never on the
 * way into or out of {@code serve}. It starts the appliance on loopback with a small share of its own and
 * free ports, sends it the requests a first user sends, stops it and exits: the JVM writes the cache then.
 */
@Command(name = "aot-training", hidden = true,
        description = "Serve a temporary share on loopback, exercise it with a few requests, and stop (the launchers' AOT cache training run).")
final class AotTrainingCommand implements Callable<Integer> {

    private static final String SHARE = "training";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A request of the training run (the anonymous PUT is refused: it trains the access checks). */
    private record TrainingRequest(String method, String path) {
    }

    private static final List<TrainingRequest> REQUESTS = List.of(
            new TrainingRequest("GET", "/"),
            new TrainingRequest("GET", "/" + SHARE + "/"),
            new TrainingRequest("GET", "/" + SHARE + "/hello.txt"),
            new TrainingRequest("HEAD", "/" + SHARE + "/hello.txt"),
            new TrainingRequest("PROPFIND", "/" + SHARE + "/"),
            new TrainingRequest("PUT", "/" + SHARE + "/upload.txt"),
            new TrainingRequest("GET", "/_dashboard/"));

    @Override
    public Integer call() throws Exception {
        Path share = Files.createTempDirectory("layerstore-aot-training");
        Path file = share.resolve("hello.txt");
        try {
            Files.writeString(file, "Hello from the AOT training run.\n");
            try (Appliance appliance = Appliance.start(config(share));
                    HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build()) {
                String base = appliance.httpUrl();
                for (TrainingRequest training : REQUESTS) {
                    send(client, base, training);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.delete(share);
        }
        return 0;
    }

    private static ApplianceConfig config(Path share) {
        MqttSettings mqtt = MqttSettings.defaults();
        return ApplianceConfig.defaults()
                .withHttp(HttpSettings.defaults().withBind("127.0.0.1").withPort(0))
                .withShares(List.of(new ShareSettings(SHARE, share, false).withAnonymous(ShareSettings.ANONYMOUS_READ)))
                .withMqtt(mqtt.withEmbedded(mqtt.embedded().withPorts(0, 0)));
    }

    private static void send(HttpClient client, String base, TrainingRequest training) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = training.method().equals("PUT")
                ? HttpRequest.BodyPublishers.ofString("training\n") : HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base).resolve(training.path()))
                .timeout(REQUEST_TIMEOUT).method(training.method(), body);
        if (training.method().equals("PROPFIND")) {
            request.header("Depth", "1");
        }
        int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        // A server error means the run did not go the way a user's does: its cache would train the wrong paths.
        if (status >= 500) {
            throw new IOException("AOT training: " + training.method() + " " + training.path() + " answered " + status);
        }
    }
}
