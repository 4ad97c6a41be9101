package io.iotgrid.sources.impl;

import com.hazelcast.function.FunctionEx;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.sources.MqttMessage;
import io.iotgrid.sources.MqttSourceSettings;

import java.util.Locale;

/**
 * Parses an MQTT message into a reading or a dead letter: the content type chooses JSON, CBOR or text (the MQTT 5
 * content type, or {@link MqttSourceSettings#contentType()} when the message has none), and a topic template, when
 * configured, gives the ids. A dead letter keeps the source ({@code <broker>/<topic>?qos=<qos>}), the topic, the raw
 * bytes and the reason; a payload above {@link MqttSourceSettings#maxPayloadBytes()} is not parsed, and its dead
 * letter keeps only its first bytes and says its size.
 */
public final class MqttReadings implements FunctionEx<MqttMessage, Decoded> {

    private static final long serialVersionUID = 1L;

    private final ReadingParser parser;
    private final TopicTemplate template;
    private final int defaultContentFormat;
    private final int maxPayloadBytes;

    public MqttReadings(MqttSourceSettings settings, ReadingParser parser) {
        this.parser = parser;
        this.template = settings.topicTemplate() == null ? null : new TopicTemplate(settings.topicTemplate());
        this.defaultContentFormat = settings.contentType();
        this.maxPayloadBytes = settings.maxPayloadBytes();
    }

    @Override
    public Decoded applyEx(MqttMessage m) {
        if (PayloadLimit.exceeds(m.payload().length, maxPayloadBytes)) {
            return new DeadLetter(m.source(), m.receivedAt(), PayloadLimit.reason(m.payload().length, maxPayloadBytes),
                    PayloadLimit.head(m.payload()), m.topic(), DeadLetter.NO_PARTITION, DeadLetter.NO_OFFSET, null);
        }
        RawReading raw;
        Integer contentFormat = contentFormat(m.contentType());
        if (contentFormat == null) {
            return deadLetter(m, "unsupported content type '" + m.contentType() + "': expected application/json, "
                    + "application/cbor or text/plain");
        }
        raw = new RawReading(m.source(), m.receivedAt(), m.payload(), contentFormat);
        Decoded decoded;
        if (template == null) {
            decoded = parser.parse(raw);
        } else {
            String[] ids = template.ids(m.topic());
            if (ids == null) {
                return deadLetter(m, "topic '" + m.topic() + "' does not match the topic template '" + template
                        + "'");
            }
            decoded = parser.parse(raw, ids[0], ids[1]);
        }
        return decoded instanceof DeadLetter dl ? deadLetter(m, dl.reason()) : decoded;
    }

    private Integer contentFormat(String contentType) {
        if (contentType == null) {
            return defaultContentFormat;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> ReadingParser.JSON;
            case "application/cbor" -> ReadingParser.CBOR;
            case "text/plain" -> ReadingParser.TEXT;
            default -> null;
        };
    }

    private static DeadLetter deadLetter(MqttMessage m, String reason) {
        return new DeadLetter(m.source(), m.receivedAt(), reason, m.payload(), m.topic(), DeadLetter.NO_PARTITION,
                DeadLetter.NO_OFFSET, null);
    }
}
