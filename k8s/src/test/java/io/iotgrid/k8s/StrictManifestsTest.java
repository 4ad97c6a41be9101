package io.iotgrid.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictManifestsTest {

    private static final String STATEFUL_SET = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: members
            spec:
              %s: 3
              serviceName: members
              selector:
                matchLabels:
                  app: m
              template:
                metadata:
                  labels:
                    app: m
                spec:
                  containers:
                    - name: hazelcast
                      image: hazelcast/hazelcast:5.5.0
                      %s:
                        - containerPort: 5701
            """;

    @Test
    void when_manifestMatchesApi_then_typed() {
        List<HasMetadata> parsed = StrictManifests.parse(STATEFUL_SET.formatted("replicas", "ports") + "---\n");

        assertThat(parsed).singleElement().isInstanceOfSatisfying(StatefulSet.class, s -> {
            assertThat(s.getSpec().getReplicas()).isEqualTo(3);
            assertThat(s.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts()).hasSize(1);
        });
    }

    @Test
    void when_specFieldMisspelled_then_failsNamingFieldAndPath() {
        assertThatThrownBy(() -> StrictManifests.parse(STATEFUL_SET.formatted("replicaz", "ports")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apps/v1/StatefulSet 'members'")
                .hasMessageContaining("\"replicaz\"")
                .hasMessageContaining("at spec.replicaz");
    }

    @Test
    void when_nestedContainerFieldMisspelled_then_failsNamingPath() {
        assertThatThrownBy(() -> StrictManifests.parse(STATEFUL_SET.formatted("replicas", "port")))
                .hasMessageContaining("at spec.template.spec.containers[0].port");
    }

    @Test
    void when_kindAtRemovedApiVersion_then_fails() {
        String oldHpa = """
                apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: members
                """;

        assertThatThrownBy(() -> StrictManifests.parse(oldHpa))
                .hasMessageContaining("autoscaling/v2beta2/HorizontalPodAutoscaler 'members' is not a kind");
    }
}
