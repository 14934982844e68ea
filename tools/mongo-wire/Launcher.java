import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.net.InetSocketAddress;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a MongoDB-wire server (mongo-java-server) on 127.0.0.1.
 *
 *   java -cp 'lib/*' Launcher.java PORT [H2_FILE]
 *
 * PORT 0 picks a free port. Without H2_FILE the data lives in memory (tests); with it the
 * data is kept in an H2 MVStore file so development data survives restarts, and every
 * command's writes are on disk before its reply is sent (see DurableH2Backend). The oplog is
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
        MongoBackend backend = args.length > 1 ? DurableH2Backend.open(args[1]) : new ConsistentMemoryBackend();
        backend.enableOplog();
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        InetSocketAddress address = server.getLocalAddress();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // An orderly close (SIGTERM) ends the H2 file cleanly; acknowledged writes are on disk already.
            server.shutdownNow();
            backend.close();
        }));
        System.out.println("mongo-wire ready mongodb://127.0.0.1:" + address.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}

/**
 * The memory backend (tests), with findAndModify answering the document as that command left
 * it (see FindAndModifyAnswers): without it, two concurrent $inc of one counter could both
 * answer the later value, and the change log would number two changes alike.
 */
final class ConsistentMemoryBackend extends MemoryBackend {
    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        return FindAndModifyAnswers.run(name -> FindAndModifyAnswers.collection(resolveDatabase(database), name), command, query, () -> super.handleCommand(channel, database, command, query));
    }
}

/**
 * findAndModify answers with the stored document itself, which the next update of the
 * collection changes in place, possibly before the answer is sent: two concurrent $inc of a
 * counter could both answer the later value. Copied while the collection is locked (its
 * writes synchronize on it), the answer is the document as this command left it.
 */
final class FindAndModifyAnswers {
    private FindAndModifyAnswers() {}

    /**
     * The command's collection, created first when it does not exist yet: the first $inc of a
     * counter in a new collection must hold the same lock as the ones that follow it, or a
     * second command could change its document before its answer is copied.
     *
     * Created under the database's own monitor, the one its resolveOrCreateCollection holds:
     * createCollectionOrThrowIfExists checks and creates without it, so two first commands
     * could each build a collection object of their own over the same stored data (each with
     * its own lock and unique index), and two $inc would both answer the same value.
     */
    static MongoCollection<?> collection(MongoDatabase database, String name) {
        synchronized (database) {
            MongoCollection<?> existing = database.resolveCollection(name, false);
            return existing != null ? existing : database.createCollectionOrThrowIfExists(name);
        }
    }

    /** `collectionNamed` finds the collection of the command's database (null when there is none). */
    static Document run(Function<String, MongoCollection<?>> collectionNamed, String command, Document query, Supplier<Document> handle) {
        if (command.equalsIgnoreCase("findAndModify") && query.get(command) instanceof String name) {
            MongoCollection<?> collection = collectionNamed.apply(name);
            if (collection != null) {
                synchronized (collection) {
                    return handle.get().cloneDeeply();
                }
            }
        }
        return handle.get();
    }
}

/**
 * The H2 file backend, made durable per acknowledged write: a command's changes are committed
 * to the MVStore file and fsynced before the command returns, and so before its reply is sent.
 * Stock H2Backend leaves that to MVStore's auto-commit, which writes about once a second from
 * a background thread, so a SIGKILL lost whatever had been acknowledged since.
 *
 * MVStore auto-commit is off: a commit from its background thread (or its write-buffer back
 * pressure) could store a command half applied, a document without its unique-index entry,
 * and it writes asynchronously, so a later commit could find nothing left to store while the
 * bytes are still on their way to the file. Every store happens here instead, under the write
 * side of a lock whose read side each command holds while it runs: a commit only ever sees
 * whole commands. Commands still run concurrently with each other; one commit stores the
 * changes of every command finished by then, and one fsync covers every commit before it.
 */
final class DurableH2Backend extends H2Backend {
    /** Chunks are rewritten once their live share falls below this (MVStore's own default). */
    private static final int COMPACT_FILL_RATE = 90;
    /** What one compaction step may write, so no single reply waits on a long rewrite. */
    private static final int COMPACT_WRITE_BYTES = 1 << 20;
    private static final int COMMITS_PER_COMPACTION = 256;

    private final MVStore store;
    private final ReentrantReadWriteLock commands = new ReentrantReadWriteLock();
    private final Object syncLock = new Object();
    /** The file store's write count the last fsync covered. */
    private long syncedWrites = -1;
    /** Commits since the last compaction step; guarded by the write lock. */
    private int commitsSinceCompaction;

    static DurableH2Backend open(String fileName) {
        MVStore store = new MVStore.Builder()
            .fileName(fileName)
            .autoCommitDisabled()
            .autoCommitBufferSize(0)
            .open();
        return new DurableH2Backend(store);
    }

    private DurableH2Backend(MVStore store) {
        super(store);
        this.store = store;
    }

    @Override
    public void enableOplog() {
        super.enableOplog();
        // Opening the databases and the oplog created maps: stored before the first client comes.
        persist();
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        boolean changed = false;
        try {
            Document reply;
            commands.readLock().lock();
            try {
                reply = run(channel, database, command, query);
            } finally {
                // Checked before any commit can run: false means this command changed nothing.
                changed = store.hasUnsavedChanges();
                commands.readLock().unlock();
            }
            // The reply may hold stored documents, which updates change in place; it is sent only
            // after the commit and fsync below, so it goes out as it is now.
            return changed ? reply.cloneDeeply() : reply;
        } finally {
            // Also after a failed command: what it changed is visible to others, so it is stored.
            if (changed) persist();
        }
    }

    /** The command, with findAndModify's answer taken as that command left it (FindAndModifyAnswers). */
    private Document run(Channel channel, String database, String command, Document query) {
        return FindAndModifyAnswers.run(name -> FindAndModifyAnswers.collection(resolveDatabase(database), name), command, query, () -> super.handleCommand(channel, database, command, query));
    }

    /** Stores the unsaved changes and syncs the file, unless an fsync covered them already. */
    private void persist() {
        commands.writeLock().lock();
        try {
            store.commit();
            if (++commitsSinceCompaction >= COMMITS_PER_COMPACTION) {
                // A commit per write leaves many small, soon mostly dead chunks; rewriting the
                // emptiest keeps the file from growing. Under the write lock, like any store.
                commitsSinceCompaction = 0;
                if (store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES)) store.commit();
            }
        } finally {
            commands.writeLock().unlock();
        }
        synchronized (syncLock) {
            long written = store.getFileStore().getWriteCount();
            if (written != syncedWrites) {
                store.sync();
                syncedWrites = written;
            }
        }
    }
}
