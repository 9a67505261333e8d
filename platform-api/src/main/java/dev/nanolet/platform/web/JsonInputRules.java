package dev.nanolet.platform.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.CollectionType;
import tools.jackson.databind.type.MapType;

/**
 * What every body platform-api reads with its {@code JsonMapper} must hold, whatever its type (user bodies,
 * manifests' specs, the node protocol): no NUL character in a string or a map key, since PostgreSQL's
 * {@code text} and {@code jsonb} cannot store U+0000 and the write failed as a 500; and no null element in a
 * list, which a record copying it failed on with a {@code NullPointerException} that Jackson reported with
 * Java class names; and no number or boolean where a string belongs, which Jackson took as its text, so that
 * {@code "env":{"N":1e3}} stored {@code "1000.0"} and a secret's {@code 0.10000000000000001} {@code "0.1"};
 * and no number where an enum belongs, which Jackson read as the constant at that position ({@code "restartPolicy":1}
 * was {@code OnFailure}; one too large for an {@code int}, {@code 99999999999999999999} or {@code 1e400}, failed as Jackson's
 * "out of range" without the enum's names, so every number is refused before the enum's own deserializer reads it). All are refused while the body is read, named by their JSON path: 400 ({@link ProblemAdvice}),
 * or 422 on {@code documents[i].spec.…} in a manifest; every such value of a body is named, not only the first
 * ({@link WrongValueCollector}, {@link WrongValues}). What platform-api passes on without storing is not read
 * with this mapper: a node's log lines (a guest may write a NUL) have {@code logs.NodeLogClient}'s own.
 */
@Configuration(proxyBeanMethods = false)
public class JsonInputRules {
    static final String NUL = "must not contain the NUL character (\\u0000)";
    /** A number or true/false where a string belongs: a YAML manifest's plain {@code PORT: 8080} is one. */
    public static final String QUOTE_IT = "must be a string: quote a number or true/false (\"8080\", \"true\")";

    @Bean
    JsonMapperBuilderCustomizer refuseNulsAndNullElements() {
        return JsonInputRules::apply;
    }

    /** Gives {@code builder} these rules. */
    static JsonMapper.Builder apply(JsonMapper.Builder builder) {
        // a number where an enum belongs was its position: "restartPolicy": 1 was OnFailure; now "must be one of Never, OnFailure"
        return builder.addModule(module()).addHandler(new UnknownFieldCollector()).enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withConfigOverride(List.class, o -> o.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL)));
    }

    private static SimpleModule module() {
        return new SimpleModule("nanolet-input-rules")
                .addDeserializer(String.class, new NulFreeString())
                .addKeyDeserializer(String.class, new NulFreeKey())
                .setDeserializerModifier(new ValueDeserializerModifier() {
                    @Override
                    public ValueDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                            BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                        return new WrongValueCollector(new EnumByName(deserializer, type.getRawClass()));
                    }

                    @Override
                    public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier description,
                            ValueDeserializer<?> deserializer) {
                        return new WrongValueCollector(deserializer);
                    }

                    @Override
                    public ValueDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                            BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                        return new WrongValueCollector(deserializer);
                    }

                    @Override
                    public ValueDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
                            BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                        return new WrongValueCollector(deserializer);
                    }
                });
    }

    /** An enum read from its name only: a number of any size is refused as the enum's ("must be one of …"). */
    private static final class EnumByName extends DelegatingDeserializer {
        private final Class<?> type;

        EnumByName(ValueDeserializer<?> enumDeserializer, Class<?> type) {
            super(enumDeserializer);
            this.type = type;
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegatee) {
            return new EnumByName(delegatee, type);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != null && p.currentToken().isNumeric()) {
                throw MismatchedInputException.from(p, type, "a number where an enum belongs");
            }
            return super.deserialize(p, ctxt);
        }
    }

    private static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }

    private static final class NulFreeString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != null && p.currentToken().isScalarValue() && p.currentToken() != JsonToken.VALUE_STRING
                    && p.currentToken() != JsonToken.VALUE_NULL) {
                // a number or boolean was taken as its text: 1e3 became "1000.0", 0.10000000000000001 "0.1"
                throw MismatchedInputException.from(p, (Class<?>) null, QUOTE_IT);
            }
            String value = super.deserialize(p, ctxt);
            if (hasNul(value)) {
                throw MismatchedInputException.from(p, (Class<?>) null, NUL);
            }
            return value;
        }
    }

    private static final class NulFreeKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) {
            if (hasNul(key)) {
                throw MismatchedInputException.from(ctxt.getParser(), (Class<?>) null, "a key " + NUL);
            }
            return key;
        }
    }
}
