package io.iotgrid.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests into fabric8's typed Kubernetes models, strictly: the models keep unknown fields in a
 * catch-all map, which would let {@code replicaz: 3} or a misplaced {@code selector} pass, so that map is switched
 * off and an unknown field fails with its path. Only the kinds iot-grid ships are accepted, each at the API
 * version the current Kubernetes serves.
 */
final class StrictManifests {

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class));

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .registerModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                                                             BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }));

    private StrictManifests() {
    }

    /** Every document of a multi-document YAML stream, typed; fails on the first unknown kind or field. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        try {
            for (JsonNode doc : YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class).readAll()) {
                if (doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                String type = doc.path("apiVersion").asText() + '/' + doc.path("kind").asText();
                String name = doc.path("metadata").path("name").asText();
                Class<? extends HasMetadata> kind = KINDS.get(type);
                if (kind == null) {
                    throw new IllegalArgumentException(type + " '" + name + "' is not a kind iot-grid ships, or not at "
                            + "the API version it validates: one of " + KINDS.keySet());
                }
                try {
                    resources.add(STRICT.treeToValue(doc, kind));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(type + " '" + name + "' does not match the Kubernetes API: "
                            + e.getOriginalMessage() + " at " + path(e), e);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
        return resources;
    }

    private static String path(JsonProcessingException e) {
        return e instanceof JsonMappingException m
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                   .reduce((a, b) -> b.startsWith("[") ? a + b : a + '.' + b).orElse("(root)")
                : "(unknown)";
    }
}
