import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;

/**
 * Runs a MongoDB-wire server (mongo-java-server) on 127.0.0.1.
 *
 *   java -cp 'lib/*' Launcher.java PORT [H2_FILE]
 *
 * PORT 0 picks a free port. Without H2_FILE the data lives in memory (tests); with it the
 * data is kept in an H2 MVStore file so development data survives restarts. The oplog is
 * enabled so change streams work. Prints one line "mongo-wire ready mongodb://HOST:PORT"
 * once it accepts connections, which the Node launchers wait for.
 */
public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java -cp 'lib/*' Launcher.java PORT [H2_FILE]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        MongoBackend backend = args.length > 1 ? new H2Backend(args[1]) : new MemoryBackend();
        backend.enableOplog();
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        InetSocketAddress address = server.getLocalAddress();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // H2 flushes its store on close; without this a SIGTERM could lose the last writes.
            server.shutdownNow();
            backend.close();
        }));
        System.out.println("mongo-wire ready mongodb://127.0.0.1:" + address.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
