package io.iotgrid.kcql;

import com.datamountaineer.kcql.Field;
import com.datamountaineer.kcql.Kcql;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.kcql.impl.AvroEncoding;
import io.iotgrid.kcql.impl.Json;
import io.iotgrid.kcql.impl.KcqlGrammar;
import io.iotgrid.kcql.impl.RecordPaths;
import io.iotgrid.kcql.impl.RecordPaths.Selected;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One KCQL statement of stream-reactor's Hazelcast sink, parsed and checked, with the functions that turn a
 * {@link TopicRecord} into what the statement stores: {@link #key} and {@link #formatRecord}. Example:
 * <pre>{@code
 * KcqlStatement s = KcqlStatement.parse(
 *         "INSERT INTO sensors SELECT sensor_id, temperature AS temp FROM coap_sensor_topic PK sensor_id STOREAS IMAP");
 * Object key = s.key(record);                   // "s1", the value of sensor_id
 * Object json = s.formatRecord(record).value(); // {"sensor_id":"s1","temp":21.5}
 * }</pre>
 * The clauses, which the kcql grammar accepts only in this order:
 * <dl>
 *   <dt>{@code INSERT INTO target}</dt><dd>the name of the Hazelcast structure ({@link #target()}).</dd>
 *   <dt>{@code SELECT fields FROM topic}</dt><dd>the fields to keep, in order, from records of {@code topic}
 *       ({@link #source()}): {@code *} for all top-level fields, or names, with dots for nested fields
 *       ({@code payload.sensorId}), each optionally renamed with {@code AS}. A record that lacks a selected field
 *       is rejected rather than stored in part.</dd>
 *   <dt>{@code IGNORE fields}</dt><dd>fields left out after selection: with {@code SELECT *} top-level fields
 *       of the record; with named fields, selected ones, named by their path in the record as in the
 *       {@code SELECT} list ({@code SELECT a, b.c FROM t IGNORE b.c} stores only {@code a}). A name that selects
 *       nothing, or leaves nothing selected, is rejected.</dd>
 *   <dt>{@code PK fields}</dt><dd>the key of {@link StoreAs#IMAP}, {@link StoreAs#MULTI_MAP} and
 *       {@link StoreAs#ICACHE} entries: the <em>values</em> of these fields, read from the record whether selected
 *       or not. stream-reactor keyed every entry by the field <em>names</em>, so each record replaced the last.
 *       Without {@code PK} the key is the record's key. Other structures have no key, so {@code PK} is rejected
 *       with them.</dd>
 *   <dt>{@code BATCH = n}</dt><dd>the most records a sink should write in one call ({@link #batchSize()});
 *       stream-reactor's sink ignored it.</dd>
 *   <dt>{@code WITHFORMAT JSON|AVRO|TEXT}</dt><dd>see {@link OutputFormat}; default {@code JSON}. The seed
 *       articles' {@code WITH FORMAT} (two words) is rejected: the kcql grammar would read it as part of the
 *       topic name and drop the format.</dd>
 *   <dt>{@code STOREAS structure}</dt><dd>see {@link StoreAs}; default {@code RELIABLE_TOPIC}. Parameters in
 *       parentheses, {@code STOREAS RING_BUFFER(capacity=1000)}, are those of {@link StoreAsParameters} that
 *       {@link StoreAs#parameters()} lists for the structure; another is rejected naming the valid ones.</dd>
 *   <dt>{@code TTL = n}</dt><dd>how long an {@code IMAP} or {@code ICACHE} entry lives, in milliseconds as
 *       stream-reactor's sink read it (the kcql library keeps the bare number); rejected with structures whose
 *       entries cannot expire one by one, and together with the {@code timeToLive} parameter.</dd>
 * </dl>
 * Spelling: {@code TTL} and {@code BATCH} need {@code =}; keywords and structure names are case-insensitive; a
 * name with spaces or other special characters is quoted with backticks.
 * Anything else the kcql grammar knows (other connectors' clauses, {@code UPSERT}, {@code _key.} and
 * {@code _header.} fields) is rejected rather than ignored.
 *
 * @param text          the statement as written, without surrounding white space
 * @param target        the name of the Hazelcast structure written to
 * @param source        the topic whose records the statement applies to
 * @param fields        the fields of the {@code SELECT} list in order, as written; empty when {@code selectAll}
 * @param ignoredFields the fields of the {@code IGNORE} list: top-level fields that {@code SELECT *} leaves out, or
 *                      paths of selected fields that are left out
 * @param selectAll     whether the statement selects {@code *}
 * @param format        what the selected fields become; {@link OutputFormat#JSON} when not given
 * @param storeAs       the kind of structure; {@link StoreAs#RELIABLE_TOPIC} when not given
 * @param storeAsParameters the {@code STOREAS} parameters; {@link StoreAsParameters#none()} when not given
 * @param primaryKeys   paths of the fields whose values make the key; empty when there is no {@code PK}
 * @param ttl           the {@code TTL} clause: how long an entry lives, or {@code null}; see {@link #entryTtl()}
 * @param batchSize     the most records a sink should write at once, or {@code null} for the sink's default
 */
public record KcqlStatement(
        String text,
        String target,
        String source,
        List<FieldSelection> fields,
        List<String> ignoredFields,
        boolean selectAll,
        OutputFormat format,
        StoreAs storeAs,
        StoreAsParameters storeAsParameters,
        List<String> primaryKeys,
        Duration ttl,
        Integer batchSize
) implements Serializable {

    private static final Set<String> RECORD_PARTS = Set.of("_key", "_header");

    public KcqlStatement {
        Objects.requireNonNull(text, "text");
        requireName(text, "target", target);
        requireName(text, "source", source);
        fields = List.copyOf(fields);
        ignoredFields = List.copyOf(ignoredFields);
        primaryKeys = List.copyOf(primaryKeys);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(storeAs, "storeAs");
        Objects.requireNonNull(storeAsParameters, "storeAsParameters");
        if (selectAll != fields.isEmpty()) {
            throw KcqlGrammar.invalid(text, selectAll ? "SELECT * cannot be combined with named fields"
                    : "SELECT names no field");
        }
        checkPaths(text, "IGNORE", ignoredFields);
        checkPaths(text, "PK", primaryKeys);
        fields.forEach(f -> checkRecordPart(text, "SELECT", f.path()));
        checkIgnored(text, fields, ignoredFields, selectAll);
        checkOutputNames(text, selected(fields, ignoredFields));
        checkCombinations(text, storeAs, primaryKeys, ttl, batchSize);
        checkParameters(text, storeAs, storeAsParameters, ttl);
    }

    /**
     * Parses one statement, e.g.
     * {@code KcqlStatement.parse("INSERT INTO dev SELECT * FROM coap_sensor_topic WITHFORMAT JSON STOREAS QUEUE")}.
     *
     * @throws IllegalArgumentException if the statement is not valid KCQL, uses what this sink does not support,
     *                                  or combines clauses that contradict each other; the message quotes the
     *                                  statement and says why
     */
    public static KcqlStatement parse(String statement) {
        String text = Objects.requireNonNull(statement, "statement").strip();
        if (text.indexOf(';') >= 0) {
            throw KcqlGrammar.invalid(text, "';' separates statements: parse them with parseAll");
        }
        KcqlGrammar.check(text);
        Kcql kcql;
        try {
            kcql = Kcql.parse(text);
        } catch (RuntimeException e) {
            throw KcqlGrammar.invalid(text, String.valueOf(e.getMessage()).replaceFirst("^Invalid syntax\\.", ""));
        }
        List<FieldSelection> fields = new ArrayList<>();
        boolean selectAll = false;
        for (Field field : kcql.getFields()) {
            if (field.getName().equals("*") && !field.hasParents()) {
                selectAll = true;
            } else if (field.getName().equals("*")) {
                throw KcqlGrammar.invalid(text, "'" + path(field) + "' is not supported: name the nested fields");
            } else {
                fields.add(new FieldSelection(path(field), field.getAlias().equals(field.getName()) ? null
                        : field.getAlias()));
            }
        }
        // kcql moves _key. and _header. fields to lists of their own; bring them back to reject them.
        kcql.getKeyFields().forEach(f -> fields.add(new FieldSelection("_key." + path(f), null)));
        kcql.getHeaderFields().forEach(f -> fields.add(new FieldSelection("_header." + path(f), null)));
        StoreAs storeAs = kcql.getStoredAs() == null ? StoreAs.RELIABLE_TOPIC
                : KcqlGrammar.lookup(StoreAs.class, "STOREAS", kcql.getStoredAs(), text);
        return new KcqlStatement(
                text,
                kcql.getTarget(),
                kcql.getSource(),
                fields,
                kcql.getIgnoredFields().stream().map(KcqlStatement::path).toList(),
                selectAll,
                kcql.getFormatType() == null ? OutputFormat.JSON
                        : KcqlGrammar.lookup(OutputFormat.class, "WITHFORMAT", kcql.getFormatType().name(), text),
                storeAs,
                parameters(text, storeAs, kcql.getStoredAsParameters()),
                kcql.getPrimaryKeys().stream().map(KcqlStatement::path).toList(),
                kcql.getTTL() > 0 ? Duration.ofMillis(kcql.getTTL()) : null,
                kcql.getBatchSize() > 0 ? kcql.getBatchSize() : null);
    }

    /**
     * Parses the statements in {@code statements}, separated by {@code ;} as in stream-reactor's
     * {@code connect.hazelcast.kcql}; blank ones are skipped. Every {@code ;} separates, even between backticks.
     *
     * @throws IllegalArgumentException if there is no statement or one is invalid (see {@link #parse})
     */
    public static List<KcqlStatement> parseAll(String statements) {
        List<KcqlStatement> parsed = Arrays.stream(Objects.requireNonNull(statements, "statements").split(";"))
                .filter(s -> !s.isBlank())
                .map(KcqlStatement::parse)
                .toList();
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no KCQL statement in \"" + statements + '"');
        }
        return parsed;
    }

    /**
     * How long an {@code IMAP} or {@code ICACHE} entry lives: the {@code TTL} clause or the {@code timeToLive}
     * parameter, whichever is given; {@code null} for as long as the structure's configuration says, and for
     * other structures.
     */
    public Duration entryTtl() {
        if (!storeAs.expiring()) {
            return null;
        }
        return ttl != null ? ttl : storeAsParameters.timeToLive();
    }

    /**
     * The selected fields of {@code record} under their output names ({@link FieldSelection#outputName()}) in
     * {@code SELECT} order except the ignored ones, or for {@code *} every top-level field in record order except
     * the ignored ones.
     * Values are as in a JSON object tree: Avro strings become {@code String}, records {@code Map} and so on.
     *
     * @throws IllegalArgumentException if the record is not from the statement's source, has no value or lacks a
     *                                  selected field, e.g.
     *                                  {@code field 'payload.sensorId' not found in record from topic t}
     */
    public Map<String, Object> project(TopicRecord record) {
        Map<String, Object> projected = new LinkedHashMap<>();
        for (Selected field : select(record)) {
            projected.put(field.name(), RecordPaths.toJava(field.value()));
        }
        return projected;
    }

    /**
     * The key the record is stored under. With {@code PK}: the values of the key fields as a {@code String},
     * joined with {@code -} when there are several ({@code PK sensor_id, place_id} with values {@code s1} and
     * {@code p2} gives {@code "s1-p2"}; values that contain {@code -} can therefore make equal keys). Without
     * {@code PK}: the record's own key, which may be {@code null} for structures without keys.
     *
     * @throws IllegalArgumentException if the record is not from the statement's source, a key field is missing,
     *                                  {@code null} or not a string, number or boolean, or a keyed structure
     *                                  would get a {@code null} key
     */
    public Object key(TopicRecord record) {
        requireSource(record);
        if (primaryKeys.isEmpty()) {
            if (record.key() == null && storeAs.keyed()) {
                throw new IllegalArgumentException("record from topic " + record.topic() + " has no key and the "
                        + "statement has no PK");
            }
            return record.key();
        }
        StringJoiner key = new StringJoiner("-");
        for (String path : primaryKeys) {
            Object value = RecordPaths.toJava(RecordPaths.find(record, path, path).value());
            if (!isScalar(value)) {
                throw new IllegalArgumentException("PK field '" + path + "' of record from topic " + record.topic()
                        + " is " + Json.describe(value) + ", expected a string, number or boolean");
            }
            key.add(String.valueOf(value));
        }
        return key.toString();
    }

    /**
     * {@code projected} (as {@link #project} gives it) in the statement's format: {@link OutputFormat#JSON} a
     * JSON {@code String}; {@link OutputFormat#TEXT} the single field's text (strings as they are, numbers and
     * booleans with {@code String.valueOf}, anything else as JSON) or, with several fields, the JSON object;
     * {@link OutputFormat#AVRO} a {@code byte[]} whose schema is inferred from the values (see
     * {@link #avroSchema}). For Avro input, {@link #formatRecord} keeps the types the record declares instead.
     *
     * @throws IllegalArgumentException if the values cannot be written in the format
     */
    public Object format(Map<String, Object> projected) {
        return switch (format) {
            case JSON -> Json.write(projected);
            case TEXT -> projected.size() == 1 ? text(projected.values().iterator().next()) : Json.write(projected);
            case AVRO -> AvroEncoding.inferred(recordName(), projected).value();
        };
    }

    /**
     * The value the record is stored as: {@link #project} then {@link #format}, except that for Avro input in
     * {@link OutputFormat#AVRO} the fields keep the schemas the record declares. The result carries the schema
     * of Avro bytes.
     *
     * @throws IllegalArgumentException as {@link #project} and {@link #format} do
     */
    public Formatted formatRecord(TopicRecord record) {
        if (format != OutputFormat.AVRO) {
            return new Formatted(format(project(record)), null);
        }
        if (record.value() instanceof GenericRecord) {
            return AvroEncoding.declared(recordName(), select(record));
        }
        return AvroEncoding.inferred(recordName(), project(record));
    }

    /**
     * The Avro schema {@link #formatRecord} encodes {@code record} with: a record named after the target
     * (characters Avro does not allow become {@code _}) with one field per output name. For Avro input each field
     * has the schema the input declares for it. For JSON input the schema is inferred from the values: strings
     * are {@code string}, integers {@code long}, other numbers {@code double}, booleans {@code boolean}, objects
     * nested records, lists arrays of their first non-null element's type; each field is a union with
     * {@code null}, and a field whose value is {@code null} has type {@code null}, so records of one topic can
     * have different schemas.
     *
     * @throws IllegalArgumentException as {@link #formatRecord} does
     */
    public Schema avroSchema(TopicRecord record) {
        if (record.value() instanceof GenericRecord) {
            return AvroEncoding.declaredSchema(recordName(), select(record));
        }
        return AvroEncoding.inferredSchema(recordName(), project(record));
    }

    /** Whether the statement applies to {@code record}: whether the record comes from its {@link #source()}. */
    public boolean appliesTo(TopicRecord record) {
        return source.equals(record.topic());
    }

    private void requireSource(TopicRecord record) {
        if (!appliesTo(record)) {
            throw new IllegalArgumentException("record from topic " + record.topic() + " given to the statement for "
                    + "topic " + source + ": \"" + text + '"');
        }
    }

    private List<Selected> select(TopicRecord record) {
        requireSource(record);
        if (selectAll) {
            return RecordPaths.all(record, ignoredFields);
        }
        List<Selected> selected = new ArrayList<>(fields.size());
        for (FieldSelection field : selected(fields, ignoredFields)) {
            selected.add(RecordPaths.find(record, field.path(), field.outputName()));
        }
        return selected;
    }

    private String recordName() {
        return AvroEncoding.recordName(target);
    }

    private static String text(Object value) {
        return isScalar(value) ? String.valueOf(value) : Json.write(value);
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    private static String path(Field field) {
        return field.hasParents() ? String.join(".", field.getParentFields()) + '.' + field.getName()
                : field.getName();
    }

    private static void requireName(String text, String role, String name) {
        if (name == null || name.isBlank()) {
            throw KcqlGrammar.invalid(text, "the " + role + " must not be blank");
        }
    }

    private static void checkOutputNames(String text, List<FieldSelection> fields) {
        Map<String, String> pathByName = new HashMap<>();
        for (FieldSelection field : fields) {
            String earlier = pathByName.putIfAbsent(field.outputName(), field.path());
            if (earlier != null) {
                throw KcqlGrammar.invalid(text, "fields '" + earlier + "' and '" + field.path() + "' would both be "
                        + "named '" + field.outputName() + "': rename one with AS");
            }
        }
    }

    private static void checkPaths(String text, String clause, List<String> paths) {
        Set<String> seen = new HashSet<>();
        for (String path : paths) {
            RecordPaths.requirePath(clause + " field", path);
            checkRecordPart(text, clause, path);
            if (!seen.add(path)) {
                throw KcqlGrammar.invalid(text, clause + " names '" + path + "' twice");
            }
        }
    }

    private static void checkRecordPart(String text, String clause, String path) {
        String first = path.split("\\.", 2)[0];
        if (RECORD_PARTS.contains(first)) {
            throw KcqlGrammar.invalid(text, clause + " field '" + path + "' is in the record's " + first.substring(1)
                    + ": this sink reads fields from the record's value only");
        }
    }

    // The named fields IGNORE leaves selected, in SELECT order.
    private static List<FieldSelection> selected(List<FieldSelection> fields, List<String> ignoredFields) {
        return ignoredFields.isEmpty() ? fields
                : fields.stream().filter(f -> !ignoredFields.contains(f.path())).toList();
    }

    private static void checkIgnored(String text, List<FieldSelection> fields, List<String> ignoredFields,
                                     boolean selectAll) {
        if (ignoredFields.isEmpty()) {
            return;
        }
        if (selectAll) {
            for (String ignored : ignoredFields) {
                if (ignored.contains(".")) {
                    throw KcqlGrammar.invalid(text, "IGNORE takes top-level fields with SELECT *, not '" + ignored
                            + "'");
                }
            }
            return;
        }
        List<String> paths = fields.stream().map(FieldSelection::path).toList();
        for (String ignored : ignoredFields) {
            if (!paths.contains(ignored)) {
                throw KcqlGrammar.invalid(text, "IGNORE " + ignored + " names no selected field: with named fields "
                        + "IGNORE leaves out selected ones, named by their path as in the SELECT list ("
                        + String.join(", ", paths) + ')');
            }
        }
        if (selected(fields, ignoredFields).isEmpty()) {
            throw KcqlGrammar.invalid(text, "IGNORE leaves out every selected field, so nothing would be stored");
        }
    }

    private static void checkCombinations(String text, StoreAs storeAs, List<String> primaryKeys, Duration ttl,
                                          Integer batchSize) {
        if (!primaryKeys.isEmpty() && !storeAs.keyed()) {
            throw KcqlGrammar.invalid(text, "PK " + String.join(", ", primaryKeys) + " needs a structure with keys "
                    + "(IMAP, MULTI_MAP or ICACHE), but STOREAS " + storeAs + defaultNote(storeAs)
                    + " has none");
        }
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw KcqlGrammar.invalid(text, "TTL must be positive, was " + ttl);
        }
        if (ttl != null && !storeAs.expiring()) {
            throw KcqlGrammar.invalid(text, "TTL needs STOREAS IMAP or ICACHE, whose entries can expire one by one, "
                    + "but STOREAS " + storeAs + defaultNote(storeAs) + " has no such expiry"
                    + (storeAs.parameters().contains(StoreAsParameters.TIME_TO_LIVE)
                    ? "; its items expire with STOREAS " + storeAs + '(' + StoreAsParameters.TIME_TO_LIVE.key()
                    + "=...)" : ""));
        }
        if (batchSize != null && batchSize <= 0) {
            throw KcqlGrammar.invalid(text, "BATCH must be positive, was " + batchSize);
        }
    }

    // The STOREAS parameters as written, each checked and read by its definition; keys ignore case.
    private static StoreAsParameters parameters(String text, StoreAs storeAs, Map<String, String> written) {
        StoreAsParameters.Builder parameters = StoreAsParameters.builder();
        written.forEach((key, value) -> {
            Setting<?> parameter = storeAs.parameters().stream().filter(p -> p.key().equalsIgnoreCase(key))
                    .findFirst()
                    .orElseThrow(() -> KcqlGrammar.invalid(text, noSuchParameter(storeAs, key)));
            try {
                set(parameters, parameter, value);
            } catch (IllegalArgumentException e) {
                throw KcqlGrammar.invalid(text, "STOREAS " + storeAs + " parameter " + e.getMessage());
            }
        });
        return parameters.build();
    }

    private static <T> void set(StoreAsParameters.Builder parameters, Setting<T> parameter, String value) {
        parameters.set(parameter, parameter.parse(value));
    }

    private static String noSuchParameter(StoreAs storeAs, String key) {
        if (storeAs.parameters().isEmpty()) {
            return "STOREAS " + storeAs + " takes no parameters, but '" + key + "' is given: configure the structure "
                    + "on the members instead";
        }
        return "STOREAS " + storeAs + " has no parameter '" + key + "': its parameters are "
                + String.join(", ", storeAs.parameters().stream().map(Setting::key).toList());
    }

    private static void checkParameters(String text, StoreAs storeAs, StoreAsParameters parameters, Duration ttl) {
        for (Setting<?> parameter : StoreAsParameters.GROUP.settings()) {
            if (parameters.get(parameter) != null && !storeAs.parameters().contains(parameter)) {
                throw KcqlGrammar.invalid(text, noSuchParameter(storeAs, parameter.key()));
            }
        }
        Duration timeToLive = parameters.timeToLive();
        if (ttl != null && timeToLive != null) {
            throw KcqlGrammar.invalid(text, "TTL = " + ttl.toMillis() + " and STOREAS " + storeAs + " parameter "
                    + StoreAsParameters.TIME_TO_LIVE.key() + " both set the time to live: give one");
        }
        if (storeAs == StoreAs.RING_BUFFER && timeToLive != null && timeToLive.toMillis() % 1000 != 0) {
            throw KcqlGrammar.invalid(text, "STOREAS RING_BUFFER parameter " + StoreAsParameters.TIME_TO_LIVE.key()
                    + " must be whole seconds (a Ringbuffer's time-to-live-seconds), was "
                    + StoreAsParameters.TIME_TO_LIVE.format(timeToLive));
        }
    }

    private static String defaultNote(StoreAs storeAs) {
        return storeAs == StoreAs.RELIABLE_TOPIC ? " (also the default without STOREAS)" : "";
    }
}
