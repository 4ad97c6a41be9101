package io.iotgrid.sources.kafka.impl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Reads a JSON value into a tree as Jackson's {@code ObjectMapper.readTree} does, except that a name given twice in
 * one object is an error that names it, where {@code readTree} keeps the last value without a word. Jackson's
 * own duplicate detection ({@code STRICT_DUPLICATE_DETECTION}) only says so in an exception message, which a
 * dead letter's reason should not have to be parsed out of.
 */
public final class JsonTrees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /**
     * The value at {@code p}'s current token (the parser's nesting limit bounds the recursion). Numbers keep their
     * type: integers as int, long or big integer nodes, floats as doubles.
     *
     * @throws RepeatedFieldException when an object has a name twice
     */
    public static JsonNode read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    if (object.has(name)) {
                        throw new RepeatedFieldException("field '" + path(p) + "' appears twice");
                    }
                    p.nextToken();
                    object.set(name, read(p));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(p));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IOException("unexpected JSON token " + t);
        };
    }

    /** The dotted path of the field at {@code p}'s current name, e.g. {@code payload.temperature}. */
    private static String path(JsonParser p) {
        // A JSON pointer such as /payload/temperature; array elements show as their index.
        return p.getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
    }

    /** A name given twice in one JSON object; the message names its path. */
    public static final class RepeatedFieldException extends IOException {

        private static final long serialVersionUID = 1L;

        RepeatedFieldException(String message) {
            super(message);
        }
    }
}
