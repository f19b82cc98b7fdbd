package com.kpiledger.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.kpiledger.coreapi.lead.LeadCapturedEvent;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored-event serializer's shortcuts give what Axon's serializer and the JavaTimeModule give. */
class AxonSerializersTest {

    /** The JavaTimeModule alone: what an Instant read as before the fast path. */
    private static final ObjectMapper STANDARD = new ObjectMapper().registerModule(new JavaTimeModule());

    private final JacksonSerializer serializer = AxonSerializers.jackson(getClass().getClassLoader());

    @Test
    void instantsWrittenByInstantToStringAreReadAsTheJavaTimeModuleReadsThem() throws Exception {
        for (Instant instant : randomInstants(2025, "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z")) {
            String json = '"' + instant.toString() + '"';
            assertThat(AxonSerializers.Instants.parse(instant.toString())).as(json).isEqualTo(instant);
            assertThat(read(json)).as(json).isEqualTo(STANDARD.readValue(json, Instant.class));
        }
    }

    @Test
    void instantsAreWrittenAsTheJavaTimeModuleWritesThem() throws Exception {
        ObjectMapper standardWriter = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        for (Instant instant : randomInstants(2026, "-1000-01-01T00:00:00Z", "+12000-12-31T23:59:59Z")) {
            assertThat(AxonSerializers.InstantText.format(instant)).isEqualTo(instant.toString());
            assertThat(serializer.getObjectMapper().writeValueAsString(instant))
                    .isEqualTo(standardWriter.writeValueAsString(instant));
        }
        for (Instant edge : List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:00:00.000000001Z"),
                Instant.parse("1969-12-31T23:59:59.100Z"), Instant.parse("2025-03-01T09:30:00.010Z"))) {
            assertThat(AxonSerializers.InstantText.format(edge)).isEqualTo(edge.toString());
            assertThat(serializer.getObjectMapper().writeValueAsString(edge))
                    .isEqualTo(standardWriter.writeValueAsString(edge));
        }
    }

    @Test
    void theFastReadingIsTheOneAxonsSerializerUses() throws Exception {
        ObjectMapper mapper = serializer.getObjectMapper();
        DefaultDeserializationContext context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createInstance(mapper.getDeserializationConfig(), null, null);
        assertThat(context.findRootValueDeserializer(mapper.constructType(Instant.class)))
                .isInstanceOf(AxonSerializers.Instants.class);
    }

    @Test
    void anythingElseGivesTheJavaTimeModulesAnswerOrItsError() {
        for (String other : List.of("\"2026-11-25T10:58:19.1234567890Z\"", "\"2026-11-25T10:58:19.Z\"",
                "\"2026-11-25t10:58:19z\"", "\" 2026-11-25T10:58:19Z \"", "\"2026-11-25T10:58:19+02:00\"",
                "\"+12026-11-25T10:58:19Z\"", "\"-0001-11-25T10:58:19Z\"", "\"2026-02-29T10:00:00Z\"",
                "\"2024-02-29T10:00:00Z\"", "\"2026-13-01T10:00:00Z\"", "\"2026-11-25T24:00:00Z\"",
                "\"2026-12-31T23:59:60Z\"", "\"2026-11-25 10:58:19Z\"", "\"2026-11-25T10:58:1a.123Z\"",
                "\"2026-11-25T10:58:19,123Z\"", "\"２０２６-11-25T10:58:19Z\"", "\"\"", "\"garbage\"",
                "1764068299123", "1764068299.123456789", "null", "[\"2026-11-25T10:58:19Z\"]")) {
            Object standard;
            try {
                standard = STANDARD.readValue(other, Instant.class);
            } catch (Exception e) {
                standard = e.getClass();
            }
            Object ours;
            try {
                ours = read(other);
            } catch (Exception e) {
                ours = e.getClass();
            }
            assertThat(ours).as(other).isEqualTo(standard);
        }
    }

    @Test
    void eventsRoundTripAndTypesResolveOnceWithUnknownOnesStillUnknown() {
        LeadCapturedEvent captured = new LeadCapturedEvent("ld-1", "cmp-1", "PAID_SEARCH",
                Instant.parse("2025-03-01T09:30:00.123456Z"), "crm");
        SerializedObject<byte[]> stored = serializer.serialize(captured, byte[].class);
        for (int i = 0; i < 3; i++) {
            assertThat((Object) serializer.deserialize(stored)).isEqualTo(captured);
        }
        assertThat(serializer.classForType(stored.getType())).isEqualTo(LeadCapturedEvent.class);
        SimpleSerializedObject<byte[]> unknown = new SimpleSerializedObject<>("{}".getBytes(StandardCharsets.UTF_8),
                byte[].class, new SimpleSerializedType("com.kpiledger.NoSuchEvent", null));
        for (int i = 0; i < 2; i++) {
            assertThat((Object) serializer.deserialize(unknown)).isInstanceOf(UnknownSerializedType.class);
        }
    }

    /** 100,000 instants between two, seeded; by turns whole seconds, and 3, 6 and 9 fraction digits. */
    private static List<Instant> randomInstants(long seed, String first, String last) {
        Random random = new Random(seed);
        long from = Instant.parse(first).getEpochSecond();
        long to = Instant.parse(last).getEpochSecond();
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)), nanos));
        }
        return instants;
    }

    private Instant read(String json) throws Exception {
        return serializer.getObjectMapper().readValue(json, Instant.class);
    }
}
