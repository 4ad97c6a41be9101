package io.iotgrid.kcql.impl;

import com.datamountaineer.kcql.antlr4.ConnectorLexer;
import com.datamountaineer.kcql.antlr4.ConnectorParser;
import io.iotgrid.kcql.OutputFormat;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a statement against kcql's own grammar before {@code Kcql.parse} reads it, because {@code Kcql.parse}
 * accepts statements whose meaning it silently changes: its grammar does not have to reach the end of the
 * statement, so a clause out of order ({@code STOREAS IMAP PK id}) and everything after it is dropped; a name of
 * several words ({@code FROM topic WITH FORMAT JSON}) is glued into one ({@code topicWITHFORMAT}); clauses of
 * other connectors ({@code AUTOCREATE}, {@code WITHKEY(...)}) are read and ignored.
 */
public final class KcqlGrammar {

    // The clauses the Hazelcast sink reads, in the one order the kcql grammar accepts them.
    private static final List<String> CLAUSE_ORDER = List.of("IGNORE", "PK", "BATCH", "WITHFORMAT", "STOREAS", "TTL");

    private static final Pattern WITH_FORMAT = Pattern.compile("(?i)\\bWITH\\s+FORMAT\\b");

    private KcqlGrammar() {
    }

    /** The exception for a statement that cannot be used, saying why. */
    public static IllegalArgumentException invalid(String statement, String reason) {
        return new IllegalArgumentException("invalid KCQL statement \"" + statement + "\": " + reason);
    }

    /**
     * The constant of {@code type} named {@code name}, ignoring case; otherwise an exception naming the clause,
     * the statement when there is one, and every valid name.
     */
    public static <E extends Enum<E>> E lookup(Class<E> type, String clause, String name, String statement) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(name)) {
                return constant;
            }
            names.add(constant.name());
        }
        String where = statement == null ? "" : " in \"" + statement + '"';
        throw new IllegalArgumentException("unknown " + clause + " '" + name + "'" + where + ": expected one of "
                + String.join(", ", names));
    }

    /**
     * Rejects what {@code Kcql.parse} would misread or ignore in {@code statement}, and a {@code WITHFORMAT}
     * this sink does not write.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    public static void check(String statement) {
        CommonTokenStream tokens = tokens(statement);
        checkFormatNames(tokens.getTokens(), statement);
        ConnectorParser.Insert_from_clauseContext insert = insert(tokens, statement);
        if (insert == null) {
            throw invalid(statement, "a statement starts with INSERT INTO <target>");
        }
        checkName("target", insert.table_name(), statement);
        checkName("source", insert.select_clause_basic().topic_name(), statement);
        checkClauses(insert, statement);
        checkSelectList(insert.select_clause_basic().column_list(), statement);
        Token next = tokens.LT(1);
        if (next.getType() != Token.EOF) {
            throw invalid(statement, "unexpected '" + next.getText() + "' at " + position(next.getLine(),
                    next.getCharPositionInLine()) + ": the clauses must come in the order "
                    + String.join(", ", CLAUSE_ORDER) + ", and the kcql grammar would drop everything from here"
                    + withFormatHint(statement.substring(next.getStartIndex())));
        }
    }

    /**
     * Rejects what {@code Kcql.parse} would misread or ignore in a statement of stream-reactor's MQTT source,
     * {@code INSERT INTO target SELECT * FROM topic [WITHCONVERTER=...] [WITHKEY(...) [KEYDELIMITER=...]]}: a
     * {@code #} outside quotes (the lexer drops it, so {@code plant/#} would subscribe to {@code plant/}), a field
     * list, any other clause, anything after the last clause.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    public static void checkSubscription(String statement) {
        int hash = unquotedHash(statement);
        if (hash >= 0) {
            throw invalid(statement, "'#' at column " + (hash + 1) + " is outside quotes, where the kcql grammar "
                    + "drops it: write a topic filter with # in single quotes, as stream-reactor does, e.g. "
                    + "FROM 'plant/+/sensors/#'");
        }
        CommonTokenStream tokens = tokens(statement);
        ConnectorParser.Insert_from_clauseContext insert = insert(tokens, statement);
        if (insert == null || insert.write_mode().insert_into() == null) {
            throw invalid(statement, "a statement of the MQTT source is INSERT INTO <target> SELECT * FROM <topic>");
        }
        checkName("target", insert.table_name(), statement);
        checkName("source", insert.select_clause_basic().topic_name(), statement);
        ConnectorParser.Column_listContext columns = insert.select_clause_basic().column_list();
        if (!columns.getText().equals("*")) {
            throw invalid(statement, "'SELECT " + text(columns, statement) + "' is not supported: the MQTT source "
                    + "reads whole payloads, SELECT *");
        }
        for (int i = 0; i < insert.getChildCount(); i++) {
            ParseTree clause = insert.getChild(i);
            if (!(clause instanceof ConnectorParser.Write_modeContext
                    || clause instanceof ConnectorParser.Table_nameContext
                    || clause instanceof ConnectorParser.Select_clause_basicContext
                    || clause instanceof ConnectorParser.With_converterContext
                    || clause instanceof ConnectorParser.With_keyContext
                    || clause instanceof ConnectorParser.Key_delimiterContext)) {
                String written = clause instanceof ParserRuleContext c ? text(c, statement) : clause.getText();
                throw invalid(statement, "'" + written + "' is not a clause of the MQTT source, whose clauses are "
                        + "WITHCONVERTER, WITHKEY and KEYDELIMITER");
            }
        }
        Token next = tokens.LT(1);
        if (next.getType() != Token.EOF) {
            throw invalid(statement, "unexpected '" + next.getText() + "' at " + position(next.getLine(),
                    next.getCharPositionInLine()) + ": the kcql grammar would drop everything from here");
        }
    }

    // Every token of the statement; a lexer error fails naming the statement.
    private static CommonTokenStream tokens(String statement) {
        ConnectorLexer lexer = new ConnectorLexer(CharStreams.fromString(statement));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new ThrowingListener(statement));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        return tokens;
    }

    // The INSERT statement the tokens make, or null for another kind; a syntax error fails naming the statement.
    private static ConnectorParser.Insert_from_clauseContext insert(CommonTokenStream tokens, String statement) {
        ConnectorParser parser = new ConnectorParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(new ThrowingListener(statement));
        return parser.stat().insert_from_clause();
    }

    // Index of the first # outside '...' and `...`, or -1.
    private static int unquotedHash(String statement) {
        char quote = 0;
        for (int i = 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '`') {
                quote = c;
            } else if (c == '#') {
                return i;
            }
        }
        return -1;
    }

    // The grammar knows formats this sink does not write, and for a name it does not know its error
    // ("expecting FORMAT") does not say which are valid.
    private static void checkFormatNames(List<Token> allTokens, String statement) {
        List<Token> tokens = allTokens.stream().filter(t -> t.getChannel() == Token.DEFAULT_CHANNEL).toList();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token name = tokens.get(i + 1);
            if (tokens.get(i).getType() == ConnectorLexer.WITHFORMAT && name.getType() != Token.EOF) {
                lookup(OutputFormat.class, "WITHFORMAT", name.getText(), statement);
            }
        }
    }

    private static void checkName(String role, ParserRuleContext name, String statement) {
        String written = statement.substring(name.getStart().getStartIndex(), name.getStop().getStopIndex() + 1);
        if (written.length() != name.getText().length()) {
            throw invalid(statement, role + " '" + written + "' is several words, which the kcql grammar would "
                    + "join into '" + name.getText() + "'; quote a name that has spaces with backticks"
                    + withFormatHint(written));
        }
    }

    // The seed articles write WITH FORMAT, which the grammar reads as two names rather than as its WITHFORMAT.
    private static String withFormatHint(String text) {
        return WITH_FORMAT.matcher(text).find() ? "; the format clause is one word: WITHFORMAT" : "";
    }

    private static void checkClauses(ConnectorParser.Insert_from_clauseContext insert, String statement) {
        if (insert.write_mode().insert_into() == null) {
            throw invalid(statement, "'" + text(insert.write_mode(), statement) + "' is not supported: the "
                    + "Hazelcast sink only has INSERT INTO");
        }
        for (int i = 0; i < insert.getChildCount(); i++) {
            ParseTree clause = insert.getChild(i);
            if (!isSupported(clause)) {
                throw invalid(statement, "'" + text((ParserRuleContext) clause, statement) + "' is not supported "
                        + "by the Hazelcast sink, whose clauses are " + String.join(", ", CLAUSE_ORDER));
            }
        }
    }

    private static boolean isSupported(ParseTree clause) {
        return clause instanceof TerminalNode terminal && terminal.getSymbol().getType() == ConnectorParser.PK
                || clause instanceof ConnectorParser.Write_modeContext
                || clause instanceof ConnectorParser.Table_nameContext
                || clause instanceof ConnectorParser.Select_clause_basicContext
                || clause instanceof ConnectorParser.Primary_key_listContext
                || clause instanceof ConnectorParser.BatchingContext
                || clause instanceof ConnectorParser.With_format_clauseContext
                || clause instanceof ConnectorParser.Storeas_clauseContext
                || clause instanceof ConnectorParser.Ttl_clauseContext;
    }

    // Kcql.parse fails on a field selected twice with "Index -1 out of bounds", which says nothing.
    private static void checkSelectList(ConnectorParser.Column_listContext columns, String statement) {
        Set<String> seen = new HashSet<>();
        for (ConnectorParser.Column_nameContext column : columns.column_name()) {
            String name = column.column() != null ? column.column().getText() : column.getText();
            if (!seen.add(name)) {
                throw invalid(statement, "field '" + name + "' is selected twice");
            }
        }
    }

    private static String text(ParserRuleContext context, String statement) {
        return statement.substring(context.getStart().getStartIndex(), context.getStop().getStopIndex() + 1);
    }

    private static String position(int line, int charPositionInLine) {
        return "line " + line + ", column " + (charPositionInLine + 1);
    }

    /** Turns the first syntax error, of the lexer or the parser, into an exception that names the statement. */
    private static final class ThrowingListener extends BaseErrorListener {

        private final String statement;

        ThrowingListener(String statement) {
            this.statement = statement;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
                                int charPositionInLine, String msg, RecognitionException e) {
            throw invalid(statement, msg + " at " + position(line, charPositionInLine));
        }
    }
}
