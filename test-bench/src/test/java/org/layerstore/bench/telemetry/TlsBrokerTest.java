// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.Appliance;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.ShareSettings;

/**
 * Telemetry over TLS to Mosquitto, trusting the broker's CA from {@code mqtt.caFile}; a broker whose
 * certificate another CA signed is never trusted, and a CA file that is not there stops the start with
 * an error naming it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsBrokerTest {

    @TempDir
    Path dir;

    @Test
    void telemetryReachesTheBrokerOverTlsWithTheConfiguredCa() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir.resolve("pki"), "Layerstore test CA");
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")), certificates);
                MqttRecorder operator = new MqttRecorder(broker.url(), "operator", false, "tls/#");
                Appliance appliance = Appliance.start(config(broker.tlsUrl(), certificates.caCertificate(), "trusting"))) {
            operator.await(r -> r.topic().equals("tls/trusting/availability") && r.payload().equals("online"), 30,
                    TimeUnit.SECONDS);
            operator.await(r -> r.topic().equals("tls/trusting/telemetry"), 10, TimeUnit.SECONDS);
            assertTrue(appliance.telemetry().brokerUrl().orElseThrow().startsWith("ssl://"));
        }
    }

    @Test
    void aBrokerCertificateFromAnotherCaIsRefused() throws Exception {
        TestCertificates brokers = TestCertificates.create(dir.resolve("pki"), "Layerstore test CA");
        TestCertificates other = TestCertificates.create(dir.resolve("other-pki"), "Some other CA");
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")), brokers);
                MqttRecorder operator = new MqttRecorder(broker.url(), "operator", false, "tls/#");
                Appliance appliance = Appliance.start(config(broker.tlsUrl(), other.caCertificate(), "untrusting"))) {
            assertTrue(appliance.telemetry().brokerUrl().isPresent());
            Thread.sleep(5_000);
            assertTrue(operator.all().isEmpty(), "nothing may be published to an untrusted broker: " + operator.all());
        }
    }

    @Test
    void aMissingCaFileStopsTheStartWithAnErrorNamingIt() throws Exception {
        Path missing = dir.resolve("no-such-ca.pem");
        IOException e = assertThrows(IOException.class,
                () -> Appliance.start(config("ssl://127.0.0.1:1", missing, "missing")).close());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    private ApplianceConfig config(String url, Path ca, String device) throws IOException {
        Path share = Files.createDirectories(dir.resolve("share"));
        MqttSettings mqtt = new MqttSettings(true, url, MosquittoBroker.USER, MosquittoBroker.PASSWORD, ca, device, null,
                "tls", 1, null, 2, null, null, null);
        return new ApplianceConfig(new HttpSettings("127.0.0.1", 0), null, List.of(new ShareSettings("files", share, true).withAnonymous(ShareSettings.ANONYMOUS_READ)), mqtt);
    }
}
