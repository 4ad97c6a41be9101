package io.iotgrid.submit;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.LibcoapServer;
import org.eclipse.californium.core.CoapResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code hz-cli submit iot-grid-coap-aggregation-job.jar plant.properties} does, from a properties file with
 * {@code coap.security=psk}, against libcoap's {@code coap-server-openssl -k ... -h ...} over DTLS, on an embedded
 * member: the parameters are read by the main's own parsing and the job is submitted by the main's own code.
 */
@Timeout(180)
class CoapAggregationSubmitIT {

    private static final int PORT = 6600;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PATH = "/sensors/dtls-1";

    @RegisterExtension
    final Resources resources = new Resources();

    @AfterAll
    static void noCaliforniumPropertiesWritten() {
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_pskPropertiesFileSubmitted_then_readingsOverDtlsReachPlaceStats(@TempDir Path dir) throws Exception {
        // -d 10: a PUT creates an observable resource and every later PUT notifies its observers; -k/-h: PSK
        // DTLS on the port after the plain one, where the job observes, while the test PUTs over plain CoAP.
        LibcoapServer libcoap = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-k", "secret",
                "-h", "hint", "-d", "10"));
        long now = System.currentTimeMillis();
        // All readings in one event-time window, whatever the wall clock does meanwhile.
        long t0 = now - now % 60_000 + 1_000;
        put(libcoap, reading(t0, 20.0));

        Path secret = Files.writeString(dir.resolve("psk"), "secret\n");
        Path properties = Files.writeString(dir.resolve("plant.properties"), String.join("\n",
                "coap.uris=" + libcoap.secureUri(PATH),
                "coap.security=psk",
                "coap.psk.identity=iot-grid",
                "coap.psk.secret.file=" + secret,
                "window.size=1m",
                "early.results.period=200ms",
                "quiet.close.after=none",
                "job.name=coap-psk-it",
                ""));
        CoapAggregationParameters params = Submission.parse(new String[]{properties.toString()},
                CoapAggregationParameters::of, "usage");
        assertThat(params.coap().security().secure()).isTrue();

        String cluster = "coap-submit-it-" + UUID.randomUUID();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(member::shutdown);
        Job job = CoapAggregationSubmit.submit(member, params);
        resources.onClose(job::cancel);
        assertThat(job.getName()).isEqualTo("coap-psk-it");

        // The observe registration answers with the current value: the reading PUT before the job started.
        awaitPlaceReadings(member, job, 1);
        // One PUT at a time: observe is latest-state, so a server may skip values sent faster than notified.
        double[] temperatures = {21.5, 19.0};
        for (int i = 0; i < temperatures.length; i++) {
            put(libcoap, reading(t0 + i + 1, temperatures[i]));
            awaitPlaceReadings(member, job, i + 2);
        }
        try (SqlResult result = member.getSql().execute(
                "SELECT min_temperature, max_temperature, avg_temperature, window_start FROM place_stats WHERE id = ?",
                "lab")) {
            SqlRow row = result.iterator().next();
            assertThat((Double) row.getObject("min_temperature")).isEqualTo(19.0);
            assertThat((Double) row.getObject("max_temperature")).isEqualTo(21.5);
            assertThat((Double) row.getObject("avg_temperature")).isEqualTo((20.0 + 21.5 + 19.0) / 3);
            assertThat((Long) row.getObject("window_start")).isEqualTo(t0 - 1_000);
        }
    }

    private static void awaitPlaceReadings(HazelcastInstance member, Job job, long expected) {
        await().atMost(TIMEOUT)
               .failFast("the job failed", () -> job.getStatus() == JobStatus.FAILED)
               .until(() -> placeReadings(member) == expected);
    }

    private static long placeReadings(HazelcastInstance member) {
        try (SqlResult result = member.getSql().execute("SELECT readings FROM place_stats WHERE id = ?", "lab")) {
            Iterator<SqlRow> rows = result.iterator();
            return rows.hasNext() ? ((Number) rows.next().getObject("readings")).longValue() : 0;
        }
    }

    private static void put(LibcoapServer server, String json) throws Exception {
        CoapResponse response = server.put(PATH, json);
        assertThat(response).as("libcoap answered the PUT").isNotNull();
        assertThat(response.isSuccess()).as(response.getCode().toString()).isTrue();
    }

    private static String reading(long timestamp, double temperature) {
        return "{\"id\":\"dtls-1\",\"place_id\":\"lab\",\"timestamp\":" + timestamp
                + ",\"payload\":{\"temperature\":" + temperature + "}}";
    }
}
