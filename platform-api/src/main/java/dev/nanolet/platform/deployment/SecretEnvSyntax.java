package dev.nanolet.platform.deployment;

import dev.nanolet.wire.DeploymentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lets users write a secret reference where a plain value goes, as Kubernetes does:
 * {@code "env": {"PASSWORD": {"valueFrom": {"secret": "db", "key": "password"}}}}. Before the spec is read, each such
 * entry moves to {@code secretEnv} (its wire form, which the API answers with and which is accepted as well); any
 * other non-string value stays in {@code env}, where reading it fails naming {@code env.X}.
 */
final class SecretEnvSyntax extends DelegatingDeserializer {
    SecretEnvSyntax(ValueDeserializer<?> delegatee) {
        super(delegatee);
    }

    /** A module that reads every {@link DeploymentSpec} through this. */
    static SimpleModule module() {
        return new SimpleModule("secret-env").setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier description,
                    ValueDeserializer<?> deserializer) {
                return description.getBeanClass() == DeploymentSpec.class ? new SecretEnvSyntax(deserializer) : deserializer;
            }
        });
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegatee) {
        return new SecretEnvSyntax(delegatee);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
        JsonNode tree = ctxt.readTree(p);
        if (tree instanceof ObjectNode spec && spec.get("env") instanceof ObjectNode env) {
            List<String> moved = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : env.properties()) {
                JsonNode value = e.getValue();
                if (value.isObject() && value.size() == 1 && value.get("valueFrom") != null && value.get("valueFrom").isObject()) {
                    JsonNode secretEnv = spec.get("secretEnv");
                    ObjectNode target = secretEnv instanceof ObjectNode o ? o : spec.putObject("secretEnv");
                    if (!target.has(e.getKey())) {
                        target.set(e.getKey(), value.get("valueFrom"));
                        moved.add(e.getKey());
                    }
                }
            }
            env.remove(moved);
        }
        try (JsonParser tp = tree.traverse(ctxt)) {
            tp.nextToken();
            return _delegatee.deserialize(tp, ctxt);
        }
    }
}
