package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.iotgrid.core.GridConfigs;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One member of the {@link SoakBenchmark}'s cluster, in a JVM of its own so that the benchmark can kill it with
 * SIGKILL. Arguments: cluster name, first port, period of the heap samples in ms. It tells its parent
 * {@code READY <member uuid>} once it joined, then every period {@code HEAP <bytes>}: heap used after full
 * collections ({@link MemoryBenchmark#settledHeapUsed()}). It leaves the cluster and exits at the end of stdin.
 */
final class SoakMember {

    private SoakMember() {
    }

    public static void main(String[] args) throws Exception {
        String cluster = args[0];
        int port = Integer.parseInt(args[1]);
        long heapEveryMillis = Long.parseLong(args[2]);
        Config config = GridConfigs.loopbackMember(cluster, port);
        // A restarted member is put to work a second after it joined, not after Jet's default 10 s, so that a
        // fault's recovery includes the job's second restart (the scale-up) rather than leaving it to the next fault.
        config.getJetConfig().setScaleUpDelayMillis(1000);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        ChildJvm.tell("READY " + member.getCluster().getLocalMember().getUuid());
        ScheduledExecutorService heap = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-heap-sampler");
            t.setDaemon(true);
            return t;
        });
        heap.scheduleAtFixedRate(() -> ChildJvm.tell("HEAP " + MemoryBenchmark.settledHeapUsed()),
                heapEveryMillis, heapEveryMillis, TimeUnit.MILLISECONDS);
        ChildJvm.serveCommands(command -> { });
        heap.shutdownNow();
        member.shutdown();
        System.exit(0);
    }
}
