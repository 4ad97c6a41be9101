package io.iotgrid.member;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.SQLException;

/**
 * One throwaway {@link PostgresServer} for a test class: started before its first test, stopped after its last (and
 * waited for by PID), whatever the tests did to it in between ({@link PostgresServer#kill()},
 * {@link PostgresServer#startAgain()}). Tests keep their tables apart with a database each:
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension postgres = new PostgresExtension();
 *
 * @Test
 * void when_...() throws Exception {
 *     String url = postgres.createDatabase("restart");
 * }
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            PostgresServer stopping = server;
            server = null;
            stopping.close();
        }
    }

    /** The class's server, e.g. to kill it and start it again; only between its first and last test. */
    public PostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("PostgreSQL runs only while the test class runs: register the "
                    + "extension on a static field");
        }
        return server;
    }

    /** Creates the database {@code name} (a plain lower-case name) on the class's server; returns its JDBC URL. */
    public String createDatabase(String name) throws SQLException {
        return server().createDatabase(name);
    }
}
