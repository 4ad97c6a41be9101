package io.iotgrid.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns payloads into {@link SensorReading}s, or into {@link DeadLetter}s that say what is wrong. The payload's
 * {@link RawReading#contentFormat()} (CoAP Content-Format numbers) chooses how it is read:
 * <ul>
 *   <li>{@value #JSON} {@code application/json}, or unknown ({@value RawReading#UNKNOWN_CONTENT_FORMAT}): JSON;</li>
 *   <li>{@value #CBOR} {@code application/cbor}: CBOR (RFC 8949), the same structure as the JSON: a map whose
 *       keys are the format's field names, nested maps for dotted paths;</li>
 *   <li>{@value #TEXT} {@code text/plain}: UTF-8 {@code path=value} pairs separated by {@code ;}, {@code &},
 *       spaces or line breaks, where {@code path} is the format's dotted path as written, e.g.
 *       {@code id=s-1;place_id=p-3;timestamp=1600000000000;payload.temperature=21.5}. Unknown paths are ignored,
 *       a path given twice is an error, {@code null} as a measure's value means absent;</li>
 *   <li>any other content format: a dead letter that names it.</li>
 * </ul>
 * JSON and CBOR are read token by token straight into the reading's fields, following a tree of the configured
 * paths and skipping everything else, so a payload costs no intermediate tree. The parser never throws on bad
 * input: malformed or truncated input, a root that is not an object, trailing content, a wrong-typed or missing
 * field all give a dead letter with the raw bytes. So do values that would be stored other than as sent, each
 * with a reason that names the field:
 * <ul>
 *   <li>a field of the format given twice in the same object (JSON and CBOR; text: a path given twice), which
 *       would otherwise keep one of the two values without a word; fields the format does not read are skipped,
 *       repeated or not;</li>
 *   <li>a timestamp beyond the range of a {@code long};</li>
 *   <li>a measure that is not a finite number: beyond the range of a double ({@code 1e400}), or a {@code NaN} or
 *       {@code Infinity} token, which JSON writers may emit although JSON has none (they are read only to say so),
 *       or a CBOR float or text value that is one;</li>
 *   <li>a measure outside its {@link PlausibleRange}: by default {@link Measure#defaultPlausibleRange()}, e.g.
 *       {@code -60..150} °C, so one faulty sensor never distorts the aggregates of its place.</li>
 * </ul>
 * <p>
 * A JSON payload that is a valid reading in plain JSON is read straight from its bytes, without setting up a Jackson
 * parser; any other payload, every dead letter included, is read by Jackson, which gives the outcome (see
 * {@code Scratch}). Each thread reuses its own working state from payload to payload, and takes sensor and place
 * ids from a bounded cache of its own ({@link IdCache}), so a sensor that reports again yields the same
 * {@code String}, whose hash code is then computed once. That state holds nothing of the parser, so a thread that
 * outlives a job does not keep the job's parser.
 * <p>
 * Instances are immutable and thread-safe, and serializable so a job can capture one.
 */
public final class ReadingParser implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Content-Format {@code text/plain;charset=utf-8}. */
    public static final int TEXT = 0;
    /** Content-Format {@code application/json}. */
    public static final int JSON = 50;
    /** Content-Format {@code application/cbor}. */
    public static final int CBOR = 60;

    // NaN and Infinity tokens are not JSON, but reading them lets the dead letter name the field that holds one.
    // The fast double parser gives the same, correctly rounded, doubles as Double.parseDouble at a fraction of its
    // cost, which was a seventh of the Kafka source's CPU.
    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final JsonFactory CBOR_FACTORY = new CBORFactory();
    private static final Pattern TEXT_SEPARATORS = Pattern.compile("[;&\\s]+");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");

    private static final int SENSOR = -1;
    private static final int PLACE = -2;
    private static final int TIMESTAMP = -3;
    /** Field slot of a leaf that is a measure: its ordinal (>= 0). Inner nodes have no slot. */
    private static final int NONE = Integer.MIN_VALUE;
    /** Longer strings and numbers are left to Jackson, whose limits then apply. */
    private static final int PLAIN_MAX_TOKEN = 256;
    /** Deeper nesting is left to Jackson, whose limit then applies. */
    private static final int PLAIN_MAX_DEPTH = 32;
    /** The powers of ten that are exact doubles. */
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private final ReadingFormat format;
    /** Plausible range of each measure, by {@link Measure#ordinal()}. */
    private final PlausibleRange[] ranges;
    private transient PathNode root;
    /** What each thread reuses from payload to payload; built lazily because it is transient. */
    private transient ThreadLocal<Scratch> scratch;

    /**
     * A parser for {@code format} that accepts each measure within its {@link Measure#defaultPlausibleRange()};
     * fails here, not on the first payload, if two paths collide.
     */
    public ReadingParser(ReadingFormat format) {
        this(format, Map.of());
    }

    /**
     * A parser for {@code format} that accepts each measure within its range in {@code plausibleRanges}, or within
     * its {@link Measure#defaultPlausibleRange()} when it has none there; fails here, not on the first payload, if
     * two paths collide.
     */
    public ReadingParser(ReadingFormat format, Map<Measure, PlausibleRange> plausibleRanges) {
        this.format = format;
        this.ranges = new PlausibleRange[Measure.count()];
        for (Measure m : Measure.values()) {
            ranges[m.ordinal()] = plausibleRanges.getOrDefault(m, m.defaultPlausibleRange());
        }
        root();
    }

    /** The format this parser reads. */
    public ReadingFormat format() {
        return format;
    }

    /** The range of each measure outside which a reading is a dead letter. */
    public Map<Measure, PlausibleRange> plausibleRanges() {
        Map<Measure, PlausibleRange> all = new EnumMap<>(Measure.class);
        for (Measure m : Measure.values()) {
            all.put(m, ranges[m.ordinal()]);
        }
        return all;
    }

    /** Parses {@code raw}; the result is a {@link SensorReading} or a {@link DeadLetter}, never an exception. */
    public Decoded parse(RawReading raw) {
        return parse(raw, null, null);
    }

    /**
     * Parses {@code raw} whose sensor and place ids, where not {@code null}, are known from elsewhere (the levels of
     * an MQTT topic): those replace what the payload says, and the payload need not carry them.
     */
    public Decoded parse(RawReading raw, String sensorId, String placeId) {
        int contentFormat = raw.contentFormat();
        String name = contentFormat == CBOR ? "CBOR" : contentFormat == TEXT ? "text" : "JSON";
        Scratch s = scratch();
        Fields fields = s.fields.reset(sensorId, placeId);
        try {
            return switch (contentFormat) {
                case RawReading.UNKNOWN_CONTENT_FORMAT, JSON -> {
                    SensorReading plain = s.readPlain(raw.payload());
                    yield plain != null ? plain
                            : read(JSON_FACTORY, name, raw.payload(), fields.reset(sensorId, placeId));
                }
                case CBOR -> read(CBOR_FACTORY, name, raw.payload(), fields);
                case TEXT -> readText(raw.payload(), fields);
                default -> throw new InvalidReadingException("unsupported content format " + contentFormat
                        + ": expected JSON (50), CBOR (60) or text (0)");
            };
        } catch (InvalidReadingException e) {
            return DeadLetter.of(raw, e.getMessage());
        } catch (JsonProcessingException e) {
            return DeadLetter.of(raw, "malformed " + name + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            return DeadLetter.of(raw, "unreadable payload: " + e.getMessage());
        }
    }

    private SensorReading read(JsonFactory factory, String name, byte[] payload, Fields fields)
            throws IOException, InvalidReadingException {
        if (payload.length == 0) {
            throw new InvalidReadingException("empty payload");
        }
        try (JsonParser p = factory.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidReadingException("payload is not a " + name + " object");
            }
            readObject(p, root(), fields);
            if (p.nextToken() != null) {
                throw new InvalidReadingException("trailing content after the " + name + " object");
            }
        }
        return fields.toReading();
    }

    private SensorReading readText(byte[] payload, Fields fields) throws InvalidReadingException {
        if (payload.length == 0) {
            throw new InvalidReadingException("empty payload");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidReadingException("text payload is not UTF-8");
        }
        Set<String> seen = new HashSet<>();
        for (String pair : TEXT_SEPARATORS.split(text.strip())) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidReadingException("text part '" + pair + "' is not path=value");
            }
            String path = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            PathNode leaf = leaf(path);
            if (leaf == null) {
                continue;
            }
            if (!seen.add(path)) {
                throw new InvalidReadingException("field '" + path + "' appears twice");
            }
            readTextLeaf(leaf, value, fields);
        }
        return fields.toReading();
    }

    private void readTextLeaf(PathNode leaf, String value, Fields fields) throws InvalidReadingException {
        String path = leaf.path;
        switch (leaf.slot) {
            case SENSOR, PLACE -> {
                if (value.isEmpty()) {
                    throw new InvalidReadingException("field '" + path + "' must not be empty");
                }
                if (leaf.slot == SENSOR) {
                    fields.sensorId = value;
                } else {
                    fields.placeId = value;
                }
            }
            case TIMESTAMP -> {
                long ts;
                try {
                    ts = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    if (WHOLE_NUMBER.matcher(value).matches()) {
                        throw timestampOutOfRange(path, value);
                    }
                    throw new InvalidReadingException("field '" + path + "' must be an integer of epoch "
                            + "milliseconds but was '" + value + "'");
                }
                if (ts <= 0) {
                    throw new InvalidReadingException("field '" + path + "' must be positive epoch milliseconds "
                            + "but was " + ts);
                }
                fields.timestamp = ts;
            }
            default -> {
                if (value.equals("null")) {
                    return;
                }
                double d;
                try {
                    d = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new InvalidReadingException("field '" + path + "' must be a number but was '" + value
                            + "'");
                }
                if (!ranges[leaf.slot].contains(d)) {
                    throw implausible(leaf, d, value);
                }
                fields.measures[leaf.slot] = d;
            }
        }
    }

    /** The leaf for a dotted {@code path}, or {@code null} when the format has no such field. */
    private PathNode leaf(String path) {
        PathNode node = root();
        for (String part : path.split("\\.", -1)) {
            node = node.children.get(part);
            if (node == null) {
                return null;
            }
        }
        return node.slot == NONE ? null : node;
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
            if (child != null && fields.seen(child)) {
                throw new InvalidReadingException("field '" + child.path + "' appears twice");
            }
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

    private void readLeaf(JsonParser p, JsonToken value, PathNode leaf, Fields fields)
            throws IOException, InvalidReadingException {
        String path = leaf.path;
        int slot = leaf.slot;
        switch (slot) {
            case SENSOR -> fields.sensorId = readId(p, value, path, fields.ids);
            case PLACE -> fields.placeId = readId(p, value, path, fields.ids);
            case TIMESTAMP -> {
                if (value != JsonToken.VALUE_NUMBER_INT) {
                    throw new InvalidReadingException("field '" + path + "' must be an integer of epoch "
                            + "milliseconds but was " + describe(value));
                }
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw timestampOutOfRange(path, p.getText());
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
                double d = p.getDoubleValue();
                if (!ranges[slot].contains(d)) {
                    throw implausible(leaf, d, p.getText());
                }
                fields.measures[slot] = d;
            }
        }
    }

    /**
     * Why {@code value} of the measure at {@code leaf}, outside the measure's plausible range, is refused;
     * {@code text} is the value as the payload wrote it, asked for only here so a plausible value costs no string.
     */
    private InvalidReadingException implausible(PathNode leaf, double value, String text) {
        PlausibleRange range = ranges[leaf.slot];
        String measure = Measure.values()[leaf.slot].key();
        if (!Double.isFinite(value)) {
            return new InvalidReadingException("field '" + leaf.path + "': " + measure + " " + text
                    + " is not a finite number (plausible range " + range + ")");
        }
        return new InvalidReadingException("field '" + leaf.path + "': " + measure + " " + text
                + " is outside the plausible range " + range);
    }

    private static InvalidReadingException timestampOutOfRange(String path, String text) {
        return new InvalidReadingException("field '" + path + "': timestamp " + text
                + " is out of the range of epoch milliseconds");
    }

    private static String readId(JsonParser p, JsonToken value, String path, IdCache ids)
            throws IOException, InvalidReadingException {
        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidReadingException("field '" + path + "' must be a string or an integer but was "
                    + describe(value));
        }
        String id = ids.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
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

    private Scratch scratch() {
        ThreadLocal<Scratch> s = scratch;
        if (s == null) {
            // Racing threads may each build one; the losers' state is garbage at their next call, which is harmless.
            PathNode tree = root();
            s = ThreadLocal.withInitial(() -> new Scratch(tree, ranges, format));
            scratch = s;
        }
        return s.get();
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
            r.size = r.number(0);
            root = r;
        }
        return r;
    }

    /**
     * One thread's reusable state: the fields of the payload being read, the id cache, and a reader of plain JSON.
     * Not thread-safe; {@link #scratch()} gives each thread its own.
     * <p>
     * The plain reader takes the payloads that make up nearly every stream, valid readings in plain JSON, straight
     * from the bytes: no parser set-up, no string but a new id, a double computed from its digits where that is
     * exact. It gives up on anything else, and Jackson then reads the payload as before and gives the outcome,
     * dead letter and reason included: strings with escapes, control or non-ASCII bytes, numbers longer than
     * {@value #PLAIN_MAX_TOKEN} characters or with more than 18 digits, {@code NaN} and the like, nesting deeper than
     * {@value #PLAIN_MAX_DEPTH}, any syntax error, a field twice, a value of the wrong type, out of range or
     * implausible, a missing field. What it accepts is exactly what Jackson accepts with the same values: only
     * the JSON grammar in its strict form (no leading zeros or plus signs, whitespace only space, tab and line
     * breaks), and doubles correctly rounded as {@link Double#parseDouble} rounds them.
     */
    private static final class Scratch {
        final IdCache ids = new IdCache();
        final Fields fields;
        // What it needs of the parser, not the parser itself: a thread's value must not keep its ThreadLocal (and
        // a job's class loader) reachable once the job has dropped the parser.
        private final PathNode root;
        private final PlausibleRange[] ranges;
        /** The payload being read by {@link #readPlain}, and the position in it. */
        private byte[] in;
        private int pos;
        /** The number last read by {@link #number}: where it starts and whether it is an integer. */
        private int numberStart;
        private boolean integer;

        Scratch(PathNode root, PlausibleRange[] ranges, ReadingFormat format) {
            this.root = root;
            this.ranges = ranges;
            this.fields = new Fields(ids, root.size, format);
        }

        /** {@code payload} as a reading if it is a valid one in plain JSON, otherwise {@code null}. */
        SensorReading readPlain(byte[] payload) {
            in = payload;
            pos = 0;
            try {
                if (whitespace() != '{' || !object(root, 1) || whitespace() != -1) {
                    return null;
                }
                return fields.toReading();
            } catch (InvalidReadingException e) {
                return null;
            } finally {
                in = null;
            }
        }

        /** Skips whitespace; the byte there (0 to 255), not consumed, or -1 at the end. */
        private int whitespace() {
            byte[] b = in;
            for (int i = pos; i < b.length; i++) {
                byte c = b[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    pos = i;
                    return c & 0xff;
                }
            }
            pos = b.length;
            return -1;
        }

        /** Reads the object at {@code pos}, whose fields {@code node} (or none, when {@code null}) knows. */
        private boolean object(PathNode node, int depth) {
            return container(node, depth, '}');
        }

        private boolean array(int depth) {
            return container(null, depth, ']');
        }

        /**
         * Reads the object ({@code close} is <code>'}'</code>: fields, as {@link #field} reads them) or array
         * ({@code close} is {@code ']'}: values, skipped) at {@code pos}, its elements separated by commas.
         */
        private boolean container(PathNode node, int depth, char close) {
            if (depth > PLAIN_MAX_DEPTH) {
                return false;
            }
            pos++;
            int c = whitespace();
            if (c == close) {
                pos++;
                return true;
            }
            while (true) {
                if (!(close == '}' ? field(node, c, depth) : skipValue(c, depth))) {
                    return false;
                }
                c = whitespace();
                if (c == close) {
                    pos++;
                    return true;
                }
                if (c != ',') {
                    return false;
                }
                pos++;
                c = whitespace();
            }
        }

        /** Reads a field (name, colon, value) of an object of {@code node}: {@code c} at {@code pos} starts it. */
        private boolean field(PathNode node, int c, int depth) {
            if (c != '"') {
                return false;
            }
            int nameStart = pos + 1;
            int nameEnd = stringEnd(nameStart);
            if (nameEnd < 0) {
                return false;
            }
            pos = nameEnd + 1;
            if (whitespace() != ':') {
                return false;
            }
            pos++;
            c = whitespace();
            PathNode child = node == null ? null : node.child(in, nameStart, nameEnd);
            if (child == null) {
                return skipValue(c, depth);
            }
            if (fields.seen(child)) {
                return false;
            }
            if (child.slot == NONE) {
                return c == '{' && object(child, depth + 1);
            }
            return leaf(child, c);
        }

        /** Skips the value that starts with {@code c} at {@code pos}. */
        private boolean skipValue(int c, int depth) {
            switch (c) {
                case '"' -> {
                    int end = stringEnd(pos + 1);
                    pos = end + 1;
                    return end >= 0;
                }
                case '{' -> {
                    return object(null, depth + 1);
                }
                case '[' -> {
                    return array(depth + 1);
                }
                case 't' -> {
                    return literal("true");
                }
                case 'f' -> {
                    return literal("false");
                }
                case 'n' -> {
                    return literal("null");
                }
                default -> {
                    return number();
                }
            }
        }

        private boolean leaf(PathNode leaf, int c) {
            switch (leaf.slot) {
                case SENSOR, PLACE -> {
                    String id;
                    if (c == '"') {
                        int start = pos + 1;
                        int end = stringEnd(start);
                        if (end < 0 || blank(start, end)) {
                            return false;
                        }
                        pos = end + 1;
                        id = ids.get(in, start, end - start);
                    } else if (number() && integer) {
                        // Jackson gives an integer id as written.
                        id = ids.get(in, numberStart, pos - numberStart);
                    } else {
                        return false;
                    }
                    if (leaf.slot == SENSOR) {
                        fields.sensorId = id;
                    } else {
                        fields.placeId = id;
                    }
                    return true;
                }
                case TIMESTAMP -> {
                    if (!number() || !integer || in[numberStart] == '-' || pos - numberStart > 18) {
                        return false;
                    }
                    long ts = digits(numberStart, pos);
                    fields.timestamp = ts;
                    return ts > 0;
                }
                default -> {
                    if (c == 'n') {
                        return literal("null"); // absent, as Jackson's path reads it
                    }
                    if (!number()) {
                        return false;
                    }
                    double d = value();
                    if (Double.isNaN(d) || !ranges[leaf.slot].contains(d)) {
                        return false;
                    }
                    fields.measures[leaf.slot] = d;
                    return true;
                }
            }
        }

        /** Index of the quote that ends the string from {@code start}, or -1 unless it is plain and short. */
        private int stringEnd(int start) {
            byte[] b = in;
            int limit = Math.min(b.length, start + PLAIN_MAX_TOKEN);
            for (int i = start; i < limit; i++) {
                byte c = b[i];
                if (c == '"') {
                    return i;
                }
                // Escapes, control characters and (as negative bytes) non-ASCII: left to Jackson.
                if (c == '\\' || c < 0x20) {
                    return -1;
                }
            }
            return -1;
        }

        /** Whether {@code in[start, end)} is empty or only spaces, as {@link String#isBlank()} sees plain ASCII. */
        private boolean blank(int start, int end) {
            for (int i = start; i < end; i++) {
                if (in[i] != ' ') {
                    return false;
                }
            }
            return true;
        }

        private boolean literal(String word) {
            int n = word.length();
            if (pos + n > in.length) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (in[pos + i] != word.charAt(i)) {
                    return false;
                }
            }
            pos += n;
            return true;
        }

        /**
         * Reads a number in JSON's strict grammar, {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, no longer
         * than {@value #PLAIN_MAX_TOKEN} characters; sets {@link #numberStart} and {@link #integer}.
         */
        private boolean number() {
            byte[] b = in;
            int start = pos;
            int i = pos;
            if (i < b.length && b[i] == '-') {
                i++;
            }
            if (i >= b.length) {
                return false;
            }
            if (b[i] == '0') {
                i++;
            } else if (b[i] >= '1' && b[i] <= '9') {
                i = digitsEnd(i);
            } else {
                return false;
            }
            boolean whole = true;
            if (i < b.length && b[i] == '.') {
                int from = i + 1;
                i = digitsEnd(from);
                if (i == from) {
                    return false;
                }
                whole = false;
            }
            if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                    i++;
                }
                int from = i;
                i = digitsEnd(from);
                if (i == from) {
                    return false;
                }
                whole = false;
            }
            if (i - start > PLAIN_MAX_TOKEN) {
                return false;
            }
            numberStart = start;
            integer = whole;
            pos = i;
            return true;
        }

        private int digitsEnd(int from) {
            int i = from;
            while (i < in.length && in[i] >= '0' && in[i] <= '9') {
                i++;
            }
            return i;
        }

        /** The value of at most 18 decimal digits {@code in[from, to)}. */
        private long digits(int from, int to) {
            long v = 0;
            for (int i = from; i < to; i++) {
                v = v * 10 + (in[i] - '0');
            }
            return v;
        }

        /**
         * The number last read, as the double nearest to it: exact arithmetic where the digits and the power of ten
         * are both exact doubles (Clinger's fast path), otherwise {@link Double#parseDouble}; NaN when it has more
         * than 18 significant digits or an exponent beyond six digits, which are left to Jackson.
         */
        private double value() {
            byte[] b = in;
            int i = numberStart;
            boolean negative = b[i] == '-';
            if (negative) {
                i++;
            }
            long mantissa = 0;
            int digits = 0;
            int fractionDigits = 0;
            boolean fraction = false;
            for (; i < pos; i++) {
                byte c = b[i];
                if (c == '.') {
                    fraction = true;
                } else if (c == 'e' || c == 'E') {
                    break;
                } else {
                    if (++digits > 18) {
                        return Double.NaN;
                    }
                    mantissa = mantissa * 10 + (c - '0');
                    if (fraction) {
                        fractionDigits++;
                    }
                }
            }
            int exponent = 0;
            if (i < pos) {
                i++;
                boolean negativeExponent = b[i] == '-';
                if (b[i] == '-' || b[i] == '+') {
                    i++;
                }
                if (pos - i > 6) {
                    return Double.NaN;
                }
                exponent = (int) digits(i, pos);
                if (negativeExponent) {
                    exponent = -exponent;
                }
            }
            if (integer) {
                // An integer as Jackson reads it: a long, then a double ("-0" is 0).
                return negative ? -mantissa : mantissa;
            }
            int scale = exponent - fractionDigits;
            double d;
            if (mantissa < (1L << 53) && scale >= 0 && scale < POWERS_OF_TEN.length) {
                d = mantissa * POWERS_OF_TEN[scale];
            } else if (mantissa < (1L << 53) && scale < 0 && -scale < POWERS_OF_TEN.length) {
                d = mantissa / POWERS_OF_TEN[-scale];
            } else {
                return Double.parseDouble(new String(b, numberStart, pos - numberStart, StandardCharsets.ISO_8859_1));
            }
            return negative ? -d : d;
        }
    }

    /** The parsed values of one payload, checked once the whole object has been read; reused by its thread. */
    private static final class Fields {
        String sensorId;
        String placeId;
        long timestamp;
        final double[] measures = new double[Measure.count()];
        /** Which nodes of the path tree the payload has had, by {@link PathNode#index}. */
        private final boolean[] seen;
        final IdCache ids;
        private final ReadingFormat format;
        /** Ids known from outside the payload, which win over the payload's; {@code null} when not known. */
        private String givenSensorId;
        private String givenPlaceId;

        Fields(IdCache ids, int nodes, ReadingFormat format) {
            this.ids = ids;
            this.seen = new boolean[nodes];
            this.format = format;
        }

        /** Clears what a previous payload left, for a payload with the ids given from outside it. */
        Fields reset(String givenSensorId, String givenPlaceId) {
            this.givenSensorId = givenSensorId;
            this.givenPlaceId = givenPlaceId;
            sensorId = null;
            placeId = null;
            timestamp = Long.MIN_VALUE;
            Arrays.fill(measures, Double.NaN);
            Arrays.fill(seen, false);
            return this;
        }

        /** Marks {@code node} as read; whether it had been read before, i.e. the payload repeats a field. */
        boolean seen(PathNode node) {
            boolean before = seen[node.index];
            seen[node.index] = true;
            return before;
        }

        SensorReading toReading() throws InvalidReadingException {
            if (givenSensorId != null) {
                sensorId = givenSensorId;
            }
            if (givenPlaceId != null) {
                placeId = givenPlaceId;
            }
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
            return SensorReading.of(sensorId, placeId, timestamp, measures);
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
        /** Position in a walk of the tree, unique per node: each occurs at most once in a payload. */
        int index;
        /** Number of nodes in the tree, set on its root. */
        int size;
        /** The children, and their names as UTF-8, for {@link #child(byte[], int, int)}; set by {@link #number}. */
        private PathNode[] kids;
        private byte[][] kidNames;

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

        /** Numbers this subtree's nodes from {@code first}; returns the next free number. */
        int number(int first) {
            index = first;
            int next = first + 1;
            kids = new PathNode[children.size()];
            kidNames = new byte[children.size()][];
            int k = 0;
            for (Map.Entry<String, PathNode> child : children.entrySet()) {
                kids[k] = child.getValue();
                kidNames[k++] = child.getKey().getBytes(StandardCharsets.UTF_8);
                next = child.getValue().number(next);
            }
            return next;
        }

        /** The child named by the bytes {@code in[from, to)}, or {@code null}; a node has a handful at most. */
        PathNode child(byte[] in, int from, int to) {
            for (int k = 0; k < kids.length; k++) {
                byte[] name = kidNames[k];
                if (Arrays.equals(name, 0, name.length, in, from, to)) {
                    return kids[k];
                }
            }
            return null;
        }
    }

    /** Bad input; thrown often enough on a bad stream that it skips the stack trace. */
    private static final class InvalidReadingException extends Exception {
        InvalidReadingException(String message) {
            super(message, null, false, false);
        }
    }
}
