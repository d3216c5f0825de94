package org.trustledger.server.config;

import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.BsonValue;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process MongoDB-compatible server of the embedded default (mongo-java-server), on a
 * loopback port, storing to one H2 MVStore file under the data directory.
 *
 * <p>Crash safety: H2 would commit only about once a second in the background, so writes
 * acknowledged just before a {@code kill -9} were lost. A driver command listener commits the store
 * after every successful write to a durable collection, before the driver hands the acknowledgement
 * to the caller; a thread of ours commits the rest every few seconds. Every commit waits for the
 * commands under way to finish (H2's own background writer is off: it could commit half a command).
 * Retention time 0 lets the store reuse space instead of growing by every committed version.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    private static final Set<String> WRITE_COMMANDS = Set.of("insert", "update", "delete", "findAndModify",
            "findandmodify");
    private static final Set<String> SCHEMA_COMMANDS = Set.of("createIndexes", "create", "drop", "dropDatabase",
            "dropIndexes");
    /**
     * Collections whose writes are acknowledged to someone and must survive a crash: the ledger's
     * events, the command side's registries (email, domain, serial, case and CRL numbers: a number
     * handed out must never be handed out again), settings, API tokens and credential-failure counters.
     * Everything else is derived (read models, outbox, snapshots, the head hint, and the processors'
     * tokens) and is made durable by the next commit, a durable write's or the store's own within
     * {@link #PERIODIC_COMMIT_MS} ms: a processor writes its token after its read-model writes, and one
     * MVStore commit persists every change made before it, so a read model is never behind the token
     * that claims it. A crash loses at most those last seconds of the processors' progress, which they
     * replay (every projection is idempotent: delivery is at least once). Tokens used to force a commit after every
     * batch of every processor: during a rebuild, dozens of commits a second, each rewriting every
     * read-model page changed since the one before (bench/README.md, "where the time goes").
     */
    private static final Set<String> DURABLE_COLLECTIONS = Set.of("events", "email_claims",
            "email_nonces", "ledger_settings", "domain_claims", "serials", "case_numbers", "crl_numbers",
            "api_tokens", "api_token_ids", "credential_failures");
    /**
     * Durable collections whose writer, in this process, makes durable itself what must be
     * ({@link #awaitDurable}): the credential-failure counters, whose reservations (four writes per
     * throttled request, each under a per-key lock) need not survive a crash, while a counted failure
     * must. The standalone store cannot know its clients' minds and still commits every write to them.
     */
    private static final Set<String> DURABLE_BY_WRITER = Set.of("credential_failures");

    /**
     * How often the store's own thread commits what no durable write has committed meanwhile. Each commit
     * rewrites every page changed since the one before, whole, while every command waits: in a
     * full-size rebuild (963,948 events, no durable writes) the commits of every second held the commands
     * up for about a third of the time. Every five seconds, the rebuild took a fifth less time at a sixth
     * less server CPU per event (bench/README.md, "the periodic commit"). The cost: a crash loses up to
     * five seconds of the processors' progress, which they replay, and those seconds' changed pages wait
     * in memory.
     */
    static final long PERIODIC_COMMIT_MS = 5_000;

    /**
     * H2's page cache when none is configured ({@code trustledger.embedded.cache-size}). Three times as
     * much (768 MB) neither sped up a full-size rebuild nor lowered the member query's p99, and held a
     * gigabyte more of live heap (bench/README.md, "what the member query's p99 at full size was").
     */
    public static final int DEFAULT_CACHE_MB = 256;

    private final MVStore store;
    private final OrderedIndexH2Backend backend;
    private final MongoServer server;
    private final InetSocketAddress address;
    private final java.util.concurrent.ScheduledExecutorService committer;

    private final ClientWatch clients;

    private EmbeddedMongo(MVStore store, MongoBackend backend, ClientWatch clients, String host, int port) {
        this.store = store;
        this.clients = clients;
        this.backend = backend instanceof OrderedIndexH2Backend h2 ? h2 : null;
        this.server = new MongoServer(backend);
        server.bind(host, port);
        this.address = server.getLocalAddress();
        if (this.backend == null) {
            this.committer = null;
        } else {
            // H2's own background writer is off (open): it could commit in the middle of a command. This
            // commits what is not durable at once (read models, tokens) every few seconds, between commands.
            this.committer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "embedded-store-commit");
                thread.setDaemon(true);
                return thread;
            });
            committer.scheduleWithFixedDelay(() -> {
                try {
                    this.backend.commitIfChanged();
                } catch (RuntimeException e) {
                    log.warn("Periodic commit of the embedded store failed", e);
                }
            }, PERIODIC_COMMIT_MS, PERIODIC_COMMIT_MS, TimeUnit.MILLISECONDS);
            committer.schedule(this::compactionStep, 200, TimeUnit.MILLISECONDS);
        }
    }

    /** Compacts the store a step at a time, in the store's thread, as often as the step asks. */
    private void compactionStep() {
        long next = 200;
        try {
            next = backend.compactionStep();
        } catch (RuntimeException e) {
            log.warn("Compaction of the embedded store failed", e);
        }
        try {
            committer.schedule(this::compactionStep, next, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** A server on a file under {@code dataDir}, with the default page cache; data survives restarts. */
    public static EmbeddedMongo onFile(Path dataDir) {
        return onFile(dataDir, DEFAULT_CACHE_MB);
    }

    /** A server on a file under {@code dataDir}, with a page cache of {@code cacheMb}; data survives restarts. */
    public static EmbeddedMongo onFile(Path dataDir, int cacheMb) {
        MVStore store = open(dataDir, cacheMb);
        ClientWatch clients = new ClientWatch();
        EmbeddedMongo mongo = new EmbeddedMongo(store, new OrderedIndexH2Backend(store, clients), clients, "127.0.0.1", 0);
        log.info("Embedded MongoDB-compatible server on {} storing to {}", mongo.address, store.getFileStore().getFileName());
        return mongo;
    }

    /**
     * The embedded store as a server of its own, for several trust-ledger nodes to share (trials and
     * the multi-node tests; production runs a MongoDB replica set). Its clients are other processes,
     * so the store commits itself after each write to a durable collection, before it replies.
     */
    public static EmbeddedMongo standalone(Path dataDir, String host, int port, int cacheMb) {
        MVStore store = open(dataDir, cacheMb);
        ClientWatch clients = new ClientWatch(); // every client is another process's: never a sole client
        EmbeddedMongo mongo = new EmbeddedMongo(store, new CommittingH2Backend(store, clients), clients, host, port);
        log.info("Standalone embedded MongoDB-compatible server on {} storing to {}", mongo.address,
                store.getFileStore().getFileName());
        return mongo;
    }

    static MVStore open(Path dataDir) {
        return open(dataDir, DEFAULT_CACHE_MB);
    }

    static MVStore open(Path dataDir, int cacheMb) {
        if (cacheMb < 1) {
            throw new IllegalArgumentException("The embedded store's page cache must be at least 1 MB, not " + cacheMb + " MB");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.resolve("ledger.mv.db").toAbsolutePath();
        MVStore store;
        try {
            // The default 16 MB page cache thrashes once the ledger passes a few hundred thousand
            // events (read-model lookups doubled in time between 10,000 and 300,000 events).
            // autoCommitBufferSize 0: H2 would otherwise commit from inside a write, in whichever thread
            // pushed the unsaved changes past its buffer (about 19 MB; a rebuild does that every few
            // batches), and so in the middle of a command: see OrderedIndexH2Backend's commit lock.
            // The file store is ours only for its compaction step (SparseChunkFileStore); the store closes it.
            SparseChunkFileStore files = new SparseChunkFileStore(cacheMb);
            files.open(file.toString(), false, null);
            try {
                store = new MVStore.Builder().adoptFileStore(files).autoCommitBufferSize(0).open();
            } catch (RuntimeException e) {
                files.close();
                throw e;
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot open the embedded store " + file
                    + " (is another trust-ledger server using this data directory?)", e);
        }
        store.setRetentionTime(0);
        store.setAutoCommitDelay(0); // commits happen between commands only: see OrderedIndexH2Backend's commit lock
        return store;
    }

    /** A server in memory only (tests, benchmarks). */
    public static EmbeddedMongo inMemory() {
        ClientWatch clients = new ClientWatch();
        MemoryBackend backend = new MemoryBackend() {
            @Override
            public Document handleCommand(Channel channel, String database, String command, Document query) {
                clients.command(channel, command, query);
                capBatch(command, query);
                return super.handleCommand(channel, database, command, query);
            }
        };
        EmbeddedMongo mongo = new EmbeddedMongo(null, backend, clients, "127.0.0.1", 0);
        log.info("Embedded MongoDB-compatible server on {} in memory (nothing survives a restart)", mongo.address);
        return mongo;
    }

    /** Documents per batch of a cursor whose reader named no batch size. */
    static final int DEFAULT_BATCH = 1_000;

    /**
     * A find or getMore without a batch size gets {@value #DEFAULT_BATCH}. MongoDB caps each batch at
     * 16 MB by itself; mongo-java-server sends everything left in one reply, and the driver refuses a reply
     * over 48 MB: the whole-graph `trustGraph` of 150,000 generated members failed so (a 93 MB reply), and
     * so would any whole-collection read of that size.
     */
    static void capBatch(String command, Document query) {
        if ((command.equals("find") || command.equals("getMore")) && !query.containsKey("batchSize")) {
            query.put("batchSize", DEFAULT_BATCH);
        }
    }

    /** The application name this process's driver must announce, so that its connections count as its own. */
    public String clientName() {
        return clients.clientName();
    }

    /**
     * Whether this process is the store's only writer: true until a client other than this process's
     * driver (announcing {@link #clientName()}) sends a command, then false for good ({@link ClientWatch}).
     */
    public boolean soleWriter() {
        return clients.soleClient();
    }

    public String connectionString(String database) {
        return "mongodb://" + address.getHostString() + ":" + address.getPort() + "/" + database;
    }

    /** Commits the store after every successful write to a durable collection, before it is acknowledged. */
    public CommandListener commitAfterWrite() {
        Map<Integer, Boolean> needsCommit = new ConcurrentHashMap<>();
        return new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                String name = event.getCommandName();
                BsonValue collection = event.getCommand().get(name);
                String target = collection != null && collection.isString() ? collection.asString().getValue() : null;
                if (mustCommit(name, target) && !DURABLE_BY_WRITER.contains(target)) {
                    needsCommit.put(event.getRequestId(), true);
                }
            }

            @Override
            public void commandSucceeded(CommandSucceededEvent event) {
                if (needsCommit.remove(event.getRequestId()) != null && backend != null) {
                    backend.commitDurably();
                }
            }

            @Override
            public void commandFailed(CommandFailedEvent event) {
                if (needsCommit.remove(event.getRequestId()) != null && backend != null) {
                    // A failed batch insert may have written part of its documents (then removed
                    // them); commit either way so the store matches what the writer was told.
                    backend.commitDurably();
                }
            }
        };
    }

    /**
     * Makes every write this thread completed durable, for the writers of {@link #DURABLE_BY_WRITER}: one
     * group commit shared with the writers waiting at the same time. Nothing to do for a store in memory.
     */
    public void awaitDurable() {
        if (backend != null) {
            backend.commitDurably();
        }
    }

    /** Whether a command changes what must survive a crash: a schema change or a write to a durable collection. */
    static boolean mustCommit(String command, String collection) {
        return SCHEMA_COMMANDS.contains(command)
                || WRITE_COMMANDS.contains(command) && collection != null && DURABLE_COLLECTIONS.contains(collection);
    }

    /** The H2 backend committing after every durable write, before the reply leaves the server. */
    private static final class CommittingH2Backend extends OrderedIndexH2Backend {

        CommittingH2Backend(MVStore store, ClientWatch clients) {
            super(store, clients);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            Object collection = query.get(command);
            boolean commit = mustCommit(command, collection instanceof String name ? name : null);
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                if (commit) {
                    commitDurably();
                }
            }
        }
    }

    /** Stops at once without a final commit, as a {@code kill -9} would: for tests of what survives a crash. */
    void halt() {
        if (committer != null) {
            committer.shutdownNow();
        }
        if (store != null) {
            store.closeImmediately();
        }
        server.shutdownNow();
    }

    /** The address clients connect to. */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        // One shutdown in about twenty hung in MongoServer.shutdown(): bound it, then close the store.
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> shutdown = executor.submit(server::shutdown);
            shutdown.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Embedded MongoDB server did not shut down within 10 s; closing its store directly", e);
        } finally {
            executor.shutdownNow();
            if (committer != null) {
                committer.shutdownNow();
            }
            if (store != null && !store.isClosed()) {
                store.close();
            }
        }
    }
}
