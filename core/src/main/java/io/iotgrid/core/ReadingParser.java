package io.iotgrid.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns JSON payloads into {@link SensorReading}s, or into {@link DeadLetter}s that say what is wrong.
 * <p>
 * The parser reads tokens straight into the reading's fields, following a tree of the configured paths and
 * skipping everything else, so a payload costs no intermediate JSON tree. It never throws on bad input:
 * malformed or truncated JSON, a root that is not an object, trailing content, a wrong-typed or missing field
 * all give a dead letter with the raw bytes. Instances are immutable and thread-safe, and serializable so a
 * job can capture one.
 */
public final class ReadingParser implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    private static final int SENSOR = -1;
    private static final int PLACE = -2;
    private static final int TIMESTAMP = -3;
    /** Field slot of a leaf that is a measure: its ordinal (>= 0). Inner nodes have no slot. */
    private static final int NONE = Integer.MIN_VALUE;

    private final ReadingFormat format;
    private transient PathNode root;

    /** A parser for {@code format}; fails here, not on the first payload, if two paths collide. */
    public ReadingParser(ReadingFormat format) {
        this.format = format;
        root();
    }

    /** The format this parser reads. */
    public ReadingFormat format() {
        return format;
    }

    /** Parses {@code raw}; the result is a {@link SensorReading} or a {@link DeadLetter}, never an exception. */
    public Decoded parse(RawReading raw) {
        try {
            return read(raw.payload());
        } catch (InvalidReadingException e) {
            return DeadLetter.of(raw, e.getMessage());
        } catch (JsonProcessingException e) {
            return DeadLetter.of(raw, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return DeadLetter.of(raw, "unreadable payload: " + e.getMessage());
        }
    }

    private SensorReading read(byte[] payload) throws IOException, InvalidReadingException {
        if (payload.length == 0) {
            throw new InvalidReadingException("empty payload");
        }
        Fields fields = new Fields();
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidReadingException("payload is not a JSON object");
            }
            readObject(p, root(), fields);
            if (p.nextToken() != null) {
                throw new InvalidReadingException("trailing content after the JSON object");
            }
        }
        return fields.toReading();
    }

    private void readObject(JsonParser p, PathNode node, Fields fields)
            throws IOException, InvalidReadingException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t == null) {
                // Jackson reports truncation inside objects itself; this guards a closed stream all the same.
                throw new InvalidReadingException("truncated JSON");
            }
            String name = p.currentName();
            PathNode child = node.children.get(name);
            JsonToken value = p.nextToken();
            if (child == null) {
                p.skipChildren();
            } else if (child.slot != NONE) {
                readLeaf(p, value, child, fields);
            } else if (value == JsonToken.START_OBJECT) {
                readObject(p, child, fields);
            } else {
                throw new InvalidReadingException("field '" + child.path + "' must be an object but was "
                        + describe(value));
            }
        }
    }

    private static void readLeaf(JsonParser p, JsonToken value, PathNode leaf, Fields fields)
            throws IOException, InvalidReadingException {
        String path = leaf.path;
        int slot = leaf.slot;
        switch (slot) {
            case SENSOR -> fields.sensorId = readId(p, value, path);
            case PLACE -> fields.placeId = readId(p, value, path);
            case TIMESTAMP -> {
                if (value != JsonToken.VALUE_NUMBER_INT) {
                    throw new InvalidReadingException("field '" + path + "' must be an integer of epoch "
                            + "milliseconds but was " + describe(value));
                }
                long ts = p.getLongValue();
                if (ts <= 0) {
                    throw new InvalidReadingException("field '" + path + "' must be positive epoch milliseconds "
                            + "but was " + ts);
                }
                fields.timestamp = ts;
            }
            default -> {
                if (value == JsonToken.VALUE_NULL) {
                    return; // an explicit null says the sensor has no such value, like an absent field
                }
                if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw new InvalidReadingException("field '" + path + "' must be a number but was "
                            + describe(value));
                }
                fields.measures[slot] = p.getDoubleValue();
            }
        }
    }

    private static String readId(JsonParser p, JsonToken value, String path)
            throws IOException, InvalidReadingException {
        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidReadingException("field '" + path + "' must be a string or an integer but was "
                    + describe(value));
        }
        String id = p.getText();
        if (id.isBlank()) {
            throw new InvalidReadingException("field '" + path + "' must not be empty");
        }
        return id;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private PathNode root() {
        PathNode r = root;
        if (r == null) {
            // Built lazily because the tree is transient: a deserialized parser rebuilds it on first use.
            r = new PathNode("");
            r.add(format.sensorIdPath(), SENSOR);
            r.add(format.timestampPath(), TIMESTAMP);
            if (format.placeIdPath() != null) {
                r.add(format.placeIdPath(), PLACE);
            }
            for (Map.Entry<Measure, String> e : format.measurePaths().entrySet()) {
                r.add(e.getValue(), e.getKey().ordinal());
            }
            root = r;
        }
        return r;
    }

    /** The parsed values of one payload, checked once the whole object has been read. */
    private final class Fields {
        String sensorId;
        String placeId;
        long timestamp = Long.MIN_VALUE;
        final double[] measures = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};

        SensorReading toReading() throws InvalidReadingException {
            if (sensorId == null) {
                throw missing(format.sensorIdPath());
            }
            if (timestamp == Long.MIN_VALUE) {
                throw missing(format.timestampPath());
            }
            if (placeId == null) {
                placeId = format.defaultPlaceId();
                if (placeId == null) {
                    throw missing(format.placeIdPath());
                }
            }
            boolean any = false;
            for (double m : measures) {
                any |= !Double.isNaN(m);
            }
            if (!any) {
                throw new InvalidReadingException("no measure: expected at least one of "
                        + String.join(", ", format.measurePaths().values()));
            }
            return new SensorReading(sensorId, placeId, timestamp, measures[0], measures[1], measures[2], measures[3]);
        }

        private InvalidReadingException missing(String path) {
            return new InvalidReadingException("missing field '" + path + "'");
        }
    }

    /**
     * One level of the configured paths: a leaf has a slot, an inner node has children. Each node keeps its full
     * dotted path, built once here, so reading a payload never concatenates paths just in case a message needs one.
     */
    private static final class PathNode {
        final String path;
        final Map<String, PathNode> children = new HashMap<>();
        int slot = NONE;

        PathNode(String path) {
            this.path = path;
        }

        void add(String path, int leafSlot) {
            PathNode node = this;
            for (String part : path.split("\\.")) {
                PathNode parent = node;
                node = node.children.computeIfAbsent(part,
                        k -> new PathNode(parent.path.isEmpty() ? k : parent.path + '.' + k));
                if (node.slot != NONE) {
                    throw new IllegalArgumentException("path '" + path + "' passes through a field that is a value");
                }
            }
            if (!node.children.isEmpty()) {
                throw new IllegalArgumentException("path '" + path + "' is the parent of another path");
            }
            node.slot = leafSlot;
        }
    }

    /** Bad input; thrown often enough on a bad stream that it skips the stack trace. */
    private static final class InvalidReadingException extends Exception {
        InvalidReadingException(String message) {
            super(message, null, false, false);
        }
    }
}
