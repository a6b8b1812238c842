package org.partnernet.neo4jlocal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

/**
 * Runs a Neo4j Community DBMS in this JVM with only the Bolt connector open,
 * bound to 127.0.0.1 on the given port. Authentication is off: the server is
 * reachable from this machine only and lives as long as one test session.
 *
 * <p>Usage: {@code Neo4jLocal HOME_DIR PORT}. Prints {@code NEO4J_VERSION=...}
 * and {@code BOLT_URI=bolt://127.0.0.1:PORT} once Bolt accepts connections, then
 * runs until the process is terminated (SIGTERM) or its standard input closes.
 */
public final class Neo4jLocal {
    private Neo4jLocal() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Neo4jLocal HOME_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        String version = "unknown";
        try (Transaction tx = db.beginTx();
             Result r = tx.execute("CALL dbms.components() YIELD versions, edition "
                     + "RETURN versions[0] + ' ' + edition AS v")) {
            if (r.hasNext()) {
                version = String.valueOf(r.next().get("v"));
            }
        }
        System.out.println("NEO4J_VERSION=" + version);
        System.out.println("BOLT_URI=bolt://127.0.0.1:" + port);
        System.out.flush();

        // Run until terminated, or until the parent closes our stdin.
        InputStream in = System.in;
        while (in.read() != -1) {
            // ignore input
        }
        System.exit(0);
    }
}
