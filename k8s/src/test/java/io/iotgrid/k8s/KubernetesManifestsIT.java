package io.iotgrid.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders {@code k8s/} as {@code kubectl apply -k k8s} would, reads every manifest strictly into the Kubernetes
 * API types, and checks what the API server would only find out at run time: references between the objects,
 * selectors that select the member pods, the member configuration being cluster-config's, and the network fence.
 */
class KubernetesManifestsIT {

    private static final Path K8S = Path.of("").toAbsolutePath();
    private static final Path CLUSTER_CONFIG = K8S.resolveSibling("cluster-config");
    private static final int MEMBER_PORT = 5701;
    private static final String CLIENT_LABEL = "iot-grid.io/client";

    private static List<HasMetadata> rendered;
    private static StatefulSet members;
    private static Job submit;

    @BeforeAll
    static void render() throws Exception {
        rendered = StrictManifests.parse(Kustomize.render(K8S));
        members = one(StatefulSet.class);
        submit = one(Job.class);
    }

    @Test
    void when_rendered_then_everyObjectOfTheDeploymentIsThere() {
        assertThat(rendered).extracting(r -> r.getKind() + "/" + r.getMetadata().getName().replaceAll("-[a-z0-9]{10}$", ""))
                .containsExactlyInAnyOrder("ServiceAccount/iot-grid", "Role/iot-grid-discovery",
                        "RoleBinding/iot-grid-discovery", "ConfigMap/iot-grid-config",
                        "ConfigMap/iot-grid-coap-aggregation", "ConfigMap/iot-grid-submit",
                        "ConfigMap/iot-grid-grafana-dashboard", "Service/iot-grid", "StatefulSet/iot-grid",
                        "PodDisruptionBudget/iot-grid", "HorizontalPodAutoscaler/iot-grid",
                        "NetworkPolicy/iot-grid-members", "Job/iot-grid-submit-coap-aggregation",
                        "ConfigMap/iot-grid-console", "Deployment/iot-grid-console", "Service/iot-grid-console");
        assertThat(rendered).allSatisfy(r -> {
            assertThat(r.getMetadata().getName()).as("a DNS-1123 name").hasSizeLessThanOrEqualTo(63)
                    .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(r.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "iot-grid");
        });
        for (PodTemplateSpec pods : List.of(members.getSpec().getTemplate(), submit.getSpec().getTemplate())) {
            assertThat(pods.getSpec().getContainers()).isNotEmpty();
            assertThat(Stream.concat(pods.getSpec().getContainers().stream(), pods.getSpec().getInitContainers().stream()))
                    .as("containers need a name and an image").allSatisfy(c -> {
                        assertThat(c.getName()).isNotBlank();
                        assertThat(c.getImage()).isNotBlank();
                    });
        }
        assertThat(submit.getSpec().getTemplate().getSpec().getRestartPolicy()).isIn("Never", "OnFailure");
        assertThat(rendered).filteredOn(r -> r instanceof Service).allSatisfy(r -> assertThat(((Service) r).getSpec()
                .getPorts()).allSatisfy(p -> assertThat(p.getPort()).isPositive()));
    }

    @Test
    void when_rendered_then_membersRunClusterConfigsKubernetesFiles() throws Exception {
        ConfigMap config = configMap("iot-grid-config");

        assertThat(config.getData()).containsOnlyKeys("iot-grid-member-k8s.yaml", "iot-grid-client-k8s.yaml");
        assertThat(config.getData().get("iot-grid-member-k8s.yaml"))
                .isEqualTo(Files.readString(CLUSTER_CONFIG.resolve("iot-grid-member-k8s.yaml"), StandardCharsets.UTF_8));
        assertThat(config.getData().get("iot-grid-client-k8s.yaml"))
                .isEqualTo(Files.readString(CLUSTER_CONFIG.resolve("iot-grid-client-k8s.yaml"), StandardCharsets.UTF_8));
        Container hazelcast = container(members.getSpec().getTemplate(), "hazelcast");
        assertThat(mountedFile(members.getSpec().getTemplate(), hazelcast, env(hazelcast, "HAZELCAST_CONFIG")))
                .isEqualTo(config.getMetadata().getName() + ":iot-grid-member-k8s.yaml");
        Container hzCli = container(submit.getSpec().getTemplate(), "submit");
        String clientConfig = hzCli.getCommand().stream().filter(a -> a.startsWith("--config="))
                .map(a -> a.substring("--config=".length())).findFirst().orElseThrow();
        assertThat(mountedFile(submit.getSpec().getTemplate(), hzCli, clientConfig))
                .isEqualTo(config.getMetadata().getName() + ":iot-grid-client-k8s.yaml");
        assertThat(mountedFile(submit.getSpec().getTemplate(), hzCli, hzCli.getCommand().get(hzCli.getCommand().size() - 1)))
                .isEqualTo(configMap("iot-grid-coap-aggregation").getMetadata().getName() + ":coap-aggregation.properties");
    }

    @Test
    void when_rendered_then_referencesBetweenObjectsResolve() {
        PodTemplateSpec pods = members.getSpec().getTemplate();
        Service service = named(Service.class, members.getSpec().getServiceName());
        assertThat(service.getSpec().getClusterIP()).as("headless").isEqualTo("None");
        assertThat(selects(service.getSpec().getSelector(), pods)).as("Service selects the members").isTrue();
        assertThat(selects(members.getSpec().getSelector(), pods)).as("StatefulSet selects its pods").isTrue();
        Set<String> portNames = container(pods, "hazelcast").getPorts().stream().map(ContainerPort::getName)
                .collect(Collectors.toSet());
        assertThat(service.getSpec().getPorts()).allSatisfy(p -> assertThat(portNames).contains(p.getTargetPort().getStrVal()));

        ServiceAccount account = named(ServiceAccount.class, pods.getSpec().getServiceAccountName());
        RoleBinding binding = one(RoleBinding.class);
        assertThat(named(Role.class, binding.getRoleRef().getName()).getRules())
                .anySatisfy(r -> assertThat(r.getResources()).contains("endpoints", "pods"));
        assertThat(binding.getSubjects()).anySatisfy(s -> assertThat(s.getName()).isEqualTo(account.getMetadata().getName()));

        PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
        assertThat(selects(pdb.getSpec().getSelector(), pods)).as("PodDisruptionBudget selects the members").isTrue();
        assertThat(selects(pdb.getSpec().getSelector(), submit.getSpec().getTemplate())).isFalse();
        HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("StatefulSet");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(members.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(members.getSpec().getReplicas())
                .isLessThan(hpa.getSpec().getMaxReplicas());

        for (PodTemplateSpec template : List.of(pods, submit.getSpec().getTemplate())) {
            Stream.concat(template.getSpec().getContainers().stream(), template.getSpec().getInitContainers().stream())
                    .forEach(c -> {
                        assertThat(c.getImage()).as(c.getName() + " image pinned").matches("[a-z0-9./-]+:[0-9][\\w.-]*");
                        c.getEnvFrom().stream().map(EnvFromSource::getConfigMapRef).filter(Objects::nonNull)
                                .forEach(ref -> named(ConfigMap.class, ref.getName()));
                        Stream.of(c.getReadinessProbe(), c.getLivenessProbe()).filter(Objects::nonNull)
                                .map(Probe::getHttpGet).filter(Objects::nonNull)
                                .forEach(get -> assertThat(portNames).contains(get.getPort().getStrVal()));
                    });
            template.getSpec().getVolumes().stream().map(Volume::getConfigMap).filter(Objects::nonNull)
                    .forEach(ref -> named(ConfigMap.class, ref.getName()));
        }
    }

    @Test
    void when_rendered_then_submittingContainersRunHzCliWithClusterConfigsClient() throws Exception {
        PodTemplateSpec pods = submit.getSpec().getTemplate();
        List<Container> hzCli = Stream.concat(pods.getSpec().getInitContainers().stream(),
                pods.getSpec().getContainers().stream()).filter(c -> c.getImage().startsWith("hazelcast/")).toList();

        assertThat(hzCli).extracting(Container::getName).containsExactly("submit-gauges", "submit");
        for (Container c : hzCli) {
            assertThat(c.getCommand()).startsWith("/opt/hazelcast/bin/hz-cli",
                    "--config=/opt/iot-grid/iot-grid-client-k8s.yaml", "submit");
            for (String arg : c.getCommand()) {
                if (arg.startsWith("--class=")) {
                    Method main = Class.forName(arg.substring("--class=".length())).getMethod("main", String[].class);
                    assertThat(Modifier.isStatic(main.getModifiers())).as(arg + " has a static main").isTrue();
                }
            }
        }
        assertThat(hzCli.get(0).getCommand()).contains("--class=io.iotgrid.jobs.StatsGaugesJob", "place_stats");
    }

    @Test
    void when_rendered_then_networkPolicyFencesMembersToMembersAndLabelledClients() {
        NetworkPolicy policy = one(NetworkPolicy.class);
        PodTemplateSpec memberPods = members.getSpec().getTemplate();
        PodTemplateSpec submitPods = submit.getSpec().getTemplate();

        assertThat(selects(policy.getSpec().getPodSelector(), memberPods)).as("policy selects the members").isTrue();
        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertThat(rules).as("every rule names its peers and ports; an empty one would admit everyone")
                .allSatisfy(r -> {
                    assertThat(r.getFrom()).isNotEmpty();
                    assertThat(r.getPorts()).isNotEmpty();
                    assertThat(r.getFrom()).allSatisfy(peer -> assertThat(peer.getIpBlock()).isNull());
                });
        List<NetworkPolicyIngressRule> toMemberPort = rules.stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> isPort(p, MEMBER_PORT))).toList();
        assertThat(toMemberPort).as("5701 only from pods of this namespace: members or labelled clients")
                .allSatisfy(r -> assertThat(r.getFrom()).allSatisfy(peer -> {
                    assertThat(peer.getNamespaceSelector()).isNull();
                    assertThat(peer.getPodSelector().getMatchLabels()).isNotEmpty();
                    assertThat(selects(peer.getPodSelector(), memberPods)
                            || peer.getPodSelector().getMatchLabels().containsKey(CLIENT_LABEL)).isTrue();
                }));
        assertThat(admits(toMemberPort, memberPods)).as("members reach members on 5701").isTrue();
        assertThat(admits(toMemberPort, submitPods)).as("the job-submitting Job is a labelled client").isTrue();
        assertThat(submitPods.getMetadata().getLabels()).containsEntry(CLIENT_LABEL, "true");

        Container hazelcast = container(memberPods, "hazelcast");
        int metricsPort = hazelcast.getPorts().stream().filter(p -> "metrics".equals(p.getName()))
                .findFirst().orElseThrow().getContainerPort();
        assertThat(env(hazelcast, "PROMETHEUS_PORT")).isEqualTo(String.valueOf(metricsPort));
        assertThat(memberPods.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", String.valueOf(metricsPort));
        assertThat(rules).as("Prometheus reaches the metrics port, and only that")
                .anySatisfy(r -> assertThat(r.getPorts()).allSatisfy(p -> assertThat(isPort(p, metricsPort)).isTrue()));
    }

    @Test
    void when_rendered_then_consoleIsALabelledClientBehindItsOwnService() {
        Deployment console = named(Deployment.class, "iot-grid-console");
        PodTemplateSpec pods = console.getSpec().getTemplate();
        assertThat(selects(console.getSpec().getSelector(), pods)).as("Deployment selects its pods").isTrue();
        assertThat(selects(console.getSpec().getSelector(), members.getSpec().getTemplate())).isFalse();
        assertThat(pods.getMetadata().getLabels()).containsEntry(CLIENT_LABEL, "true");
        List<NetworkPolicyIngressRule> toMemberPort = one(NetworkPolicy.class).getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> isPort(p, MEMBER_PORT))).toList();
        assertThat(admits(toMemberPort, pods)).as("the console reaches the members on 5701").isTrue();

        Service service = named(Service.class, "iot-grid-console");
        assertThat(selects(service.getSpec().getSelector(), pods)).as("Service selects the console").isTrue();
        assertThat(selects(service.getSpec().getSelector(), members.getSpec().getTemplate())).isFalse();
        Container container = container(pods, "console");
        assertThat(container.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(8083));
        assertThat(service.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getTargetPort().getStrVal())
                .isEqualTo("http"));
        // Bound beyond loopback, the console starts only with credentials: the token comes from a Secret.
        assertThat(container.getCommand()).contains("console.bind.address=0.0.0.0",
                "console.api.token=$(CONSOLE_API_TOKEN)");
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("CONSOLE_API_TOKEN");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("iot-grid-console");
        });
        assertThat(container.getImage()).matches("[a-z0-9./-]+:[0-9][\\w.-]*");
    }

    @Test
    void when_rendered_then_dashboardShippedForGrafanasSidecar() throws Exception {
        ConfigMap dashboard = configMap("iot-grid-grafana-dashboard");

        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("iot-grid-dashboard.json"))
                .isEqualTo(Files.readString(GrafanaDashboardTest.DASHBOARD, StandardCharsets.UTF_8));
    }

    private static boolean admits(List<NetworkPolicyIngressRule> rules, PodTemplateSpec pods) {
        return rules.stream().flatMap(r -> r.getFrom().stream()).map(NetworkPolicyPeer::getPodSelector)
                .anyMatch(s -> selects(s, pods));
    }

    private static boolean isPort(NetworkPolicyPort port, int number) {
        IntOrString p = port.getPort();
        return p != null && p.getIntVal() != null && p.getIntVal() == number;
    }

    /** Label-selector semantics: every matchLabels entry and every matchExpressions requirement must hold. */
    private static boolean selects(LabelSelector selector, PodTemplateSpec pods) {
        return selector != null && selects(selector.getMatchLabels(), pods)
                && selector.getMatchExpressions().stream().allMatch(e -> holds(e, pods.getMetadata().getLabels()));
    }

    private static boolean selects(Map<String, String> matchLabels, PodTemplateSpec pods) {
        return matchLabels != null && !matchLabels.isEmpty()
                && pods.getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet());
    }

    private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> r.getValues().contains(value);
            case "NotIn" -> value == null || !r.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("unknown selector operator " + r.getOperator());
        };
    }

    /** {@code configMapName:key} of the file a container sees at {@code path}. */
    private static String mountedFile(PodTemplateSpec pods, Container container, String path) {
        for (VolumeMount mount : container.getVolumeMounts()) {
            if (path.startsWith(mount.getMountPath() + '/')) {
                Volume volume = pods.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                        .findFirst().orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
                assertThat(volume.getConfigMap()).as(path + " comes from a ConfigMap").isNotNull();
                String key = path.substring(mount.getMountPath().length() + 1);
                assertThat(named(ConfigMap.class, volume.getConfigMap().getName()).getData()).containsKey(key);
                return volume.getConfigMap().getName() + ':' + key;
            }
        }
        throw new AssertionError(container.getName() + " has no volume mounted at " + path);
    }

    private static Container container(PodTemplateSpec pods, String name) {
        return pods.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    /** The generated ConfigMap whose name is {@code prefix} plus kustomize's content hash. */
    private static ConfigMap configMap(String prefix) {
        return rendered.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().matches(prefix + "-[a-z0-9]{10}")).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + prefix + "-<hash>"));
    }

    private static <T extends HasMetadata> T one(Class<T> kind) {
        List<T> all = rendered.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(all).as(kind.getSimpleName()).hasSize(1);
        return all.get(0);
    }

    private static <T extends HasMetadata> T named(Class<T> kind, String name) {
        return rendered.stream().filter(kind::isInstance).map(kind::cast)
                .filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
    }
}
