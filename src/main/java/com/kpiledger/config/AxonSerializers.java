package com.kpiledger.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serializer of everything Axon stores. It owns its ObjectMapper so that no REST setting can ever change the
 * stored format of an event: fields (not getters) are what is stored, dates as ISO text, decimals as written.
 */
final class AxonSerializers {

    private AxonSerializers() {
    }

    static JacksonSerializer jackson(ClassLoader classLoader) {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                // registered after the JavaTimeModule, so it is the one asked for an Instant
                .registerModule(new SimpleModule("kpi-ledger-instants")
                        .addSerializer(Instant.class, new InstantText())
                        .addDeserializer(Instant.class, new Instants()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                // upcasters see stored decimals exactly, never as doubles, and with their scale
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY);
        // dev-mode reloads give application classes a new class loader; resolve payload types through the current one
        // (what JacksonSerializer.Builder#build does with its class loader, which a subclass cannot call)
        mapper.setTypeFactory(mapper.getTypeFactory().withClassLoader(classLoader));
        return new Cached(JacksonSerializer.builder().objectMapper(mapper));
    }

    /**
     * Axon's JacksonSerializer, with what it looked up for every message kept: the class of a type name (Jackson's
     * {@code TypeFactory.findClass}, a {@code Class.forName} each time) and the reader of a class. Together they were a
     * fifth of the CPU of decoding events in a verification. Unknown types are not kept here; Axon keeps those.
     */
    static final class Cached extends JacksonSerializer {

        private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();
        private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
        private final ObjectWriter writer;

        Cached(JacksonSerializer.Builder builder) {
            super(builder);
            this.writer = getObjectMapper().writer();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class classForType(SerializedType type) {
            Class<?> known = classes.get(type.getName());
            if (known != null) {
                return known;
            }
            Class<?> found = super.classForType(type);
            if (found != UnknownSerializedType.class && found != Void.class) {
                classes.put(type.getName(), found);
            }
            return found;
        }

        @Override
        protected ObjectReader getReader(Class<?> type) {
            return readers.computeIfAbsent(type, super::getReader);
        }

        @Override
        protected ObjectWriter getWriter() {
            return writer;
        }
    }

    /**
     * Writes an {@link Instant} exactly as the JavaTimeModule writes it here ({@code Instant.toString()}: fraction digits
     * in groups of three, as many as needed), without {@code DateTimeFormatter}; years outside 0000–9999 are left to
     * {@code Instant.toString()}. Every event is serialised again when it is verified.
     */
    static final class InstantText extends StdSerializer<Instant> {

        private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

        InstantText() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant instant, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(format(instant));
        }

        /** {@code instant.toString()}, faster. */
        static String format(Instant instant) {
            long seconds = instant.getEpochSecond();
            if (seconds < FIRST || seconds > LAST) {
                return instant.toString();
            }
            LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
            int year = time.getYear();
            int nanos = instant.getNano();
            char[] text = new char[30];
            int at = put(text, 0, year, 4);
            text[at++] = '-';
            at = put(text, at, time.getMonthValue(), 2);
            text[at++] = '-';
            at = put(text, at, time.getDayOfMonth(), 2);
            text[at++] = 'T';
            at = put(text, at, time.getHour(), 2);
            text[at++] = ':';
            at = put(text, at, time.getMinute(), 2);
            text[at++] = ':';
            at = put(text, at, time.getSecond(), 2);
            if (nanos != 0) {
                text[at++] = '.';
                if (nanos % 1_000_000 == 0) {
                    at = put(text, at, nanos / 1_000_000, 3);
                } else if (nanos % 1000 == 0) {
                    at = put(text, at, nanos / 1000, 6);
                } else {
                    at = put(text, at, nanos, 9);
                }
            }
            text[at++] = 'Z';
            return new String(text, 0, at);
        }

        /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded, and returns the next index. */
        private static int put(char[] text, int at, int value, int width) {
            for (int i = at + width - 1; i >= at; i--) {
                text[i] = (char) ('0' + value % 10);
                value /= 10;
            }
            return at + width;
        }
    }

    /**
     * Reads an {@link Instant} written as {@code Instant.toString()} writes it ({@code 2025-03-01T09:30:00Z}, and
     * with 1 to 9 fraction digits) digit by digit; anything else, and any out-of-range field, goes to the JavaTimeModule's
     * deserializer, so the result, and any error, is always the same as its own. Parsing with
     * {@code DateTimeFormatter.ISO_INSTANT} was a tenth of the CPU of decoding events.
     */
    static final class Instants extends JsonDeserializer<Instant> {

        private static final int SHORTEST = "2025-03-01T09:30:00Z".length();

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = parse(parser.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }

        /** The instant in the exact form {@code Instant.toString()} writes, or null for anything else. */
        static Instant parse(String text) {
            int length = text.length();
            if (length < SHORTEST || length > SHORTEST + 10 || text.charAt(4) != '-' || text.charAt(7) != '-'
                    || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                    || text.charAt(length - 1) != 'Z') {
                return null;
            }
            int nanos = 0;
            if (length > SHORTEST) {
                int fraction = length - SHORTEST - 1;
                if (text.charAt(19) != '.' || fraction < 1) {
                    return null;
                }
                nanos = digits(text, 20, 20 + fraction);
                if (nanos < 0) {
                    return null;
                }
                for (int i = fraction; i < 9; i++) {
                    nanos *= 10;
                }
            }
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            // a leap second (":60") and every invalid field are left to the JavaTimeModule
            if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                    || second > 59) {
                return null;
            }
            try {
                return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException invalid) {
                return null;
            }
        }

        /** The decimal number in {@code [from, to)}, or -1 if any of its characters is not an ASCII digit. */
        private static int digits(String text, int from, int to) {
            int value = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }
}
