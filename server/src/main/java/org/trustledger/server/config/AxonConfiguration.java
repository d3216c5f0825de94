package org.trustledger.server.config;

import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.common.caching.Cache;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.axonframework.spring.stereotype.Aggregate;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import org.trustledger.ledger.eventstore.MongoEventStorageEngine;
import org.trustledger.ledger.eventstore.MongoTokenStore;
import org.trustledger.ledger.upcasting.LedgerUpcasters;
import org.trustledger.query.ProjectionProgress;

/**
 * Axon without Axon Server: our MongoDB event storage engine and token store, no transactions (the
 * embedded server has none; the engine makes batches atomic itself), Jackson 3 everywhere, an
 * aggregate cache and snapshots every {@value #SNAPSHOT_EVERY} events.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = {"org.trustledger.ledger", "org.trustledger.issuance"}, useDefaultFilters = false,
        includeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = Aggregate.class))
public class AxonConfiguration {

    static final int SNAPSHOT_EVERY = 50;

    /**
     * On the embedded default this process is the store's only writer (its file is locked by us), so the
     * engine answers an aggregate's last sequence number from what it appended or found before.
     */
    @Bean
    MongoEventStorageEngine eventStorageEngine(MongoDatabase db, Serializer serializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer, Clock clock,
                                          ObjectProvider<EmbeddedMongo> embedded) {
        return MongoEventStorageEngine.builder().database(db).snapshotSerializer(serializer)
                .eventSerializer(eventSerializer).upcasterChain(LedgerUpcasters.chain()).clock(clock)
                .soleWriter(soleWriter(embedded)).build();
    }

    /** Whether this process is the store's only writer: on the embedded default while nobody else connects to it. */
    static java.util.function.BooleanSupplier soleWriter(ObjectProvider<EmbeddedMongo> embedded) {
        EmbeddedMongo mongo = embedded.getIfAvailable();
        return mongo == null ? () -> false : mongo::soleWriter;
    }

    /**
     * Axon's embedded event store, as its auto-configuration builds it, but polling the store every
     * 100 ms instead of every second when idle: events appended by another node are not signalled to
     * this one, and a second of read-model lag is too much for read-your-writes through any node.
     * An idle poll is one exact-key query.
     *
     * <p>The cache that the processors following the head share holds the last {@value #CACHED_EVENTS}
     * events instead of Axon's 10,000. The processors read each event within moments of its append; at
     * live rates (a hundred events a second) 10,000 events stayed cached for one or two minutes, memory
     * that nobody read again (bench/README.md, "Measured on 2026-12-05 (morning)"). A processor that
     * falls further behind reads from the store, which still has the events of the last seconds in memory
     * ({@code MongoEventStorageEngine}'s recent events), and rejoins the shared cache when it has caught up.
     *
     * <p>Its readers' waits for new events can be cut short, for a rebuild's stop ({@link WakeableEventStore}).
     */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    WakeableEventStore eventStore(MongoEventStorageEngine storageEngine, org.axonframework.config.Configuration config) {
        return new WakeableEventStore(EmbeddedEventStore.builder().storageEngine(storageEngine)
                .messageMonitor(config.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(config.getComponent(EventBusSpanFactory.class))
                .fetchDelay(100).cachedEvents(CACHED_EVENTS));
    }

    /** How many of the latest events the processors following the head share. */
    static final int CACHED_EVENTS = 1_024;

    /**
     * Commands that lose an optimistic-concurrency race (another node appended to the same member
     * first) are retried a few times on the fresh state; nothing else is retried, so a business
     * refusal is answered at once.
     */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus) {
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
        return DefaultCommandGateway.builder().commandBus(commandBus)
                .retryScheduler(IntervalRetryScheduler.builder().retryExecutor(retries).maxRetryCount(5).retryInterval(25)
                        .nonTransientFailurePredicate(AxonConfiguration::isNotRetryable).build())
                .build();
    }

    /**
     * Axon asks this of a failure and of each of its causes; a retry happens only if all say "retryable".
     * A lost optimistic-concurrency race is a ConcurrencyException caused by the store's duplicate-key
     * error (the cached aggregate is evicted on rollback, so the retry sees the fresh state). Nothing
     * else is retried: a refusal is answered at once, and a store that could not be reached may or may
     * not have taken the write, so repeating it here could turn the client's own success into a
     * refusal ("already assured"); the client gets STORE_UNAVAILABLE and decides (found by the
     * store-fault test).
     */
    static boolean isNotRetryable(Throwable failure) {
        return !(failure instanceof ConcurrencyException || MongoEventStorageEngine.isDuplicateKey(failure));
    }

    @Bean
    TokenStore tokenStore(MongoDatabase db, Serializer serializer, Clock clock, ObjectProvider<EmbeddedMongo> embedded) {
        MongoTokenStore store = new MongoTokenStore(db, serializer, Duration.ofSeconds(10), clock);
        if (embedded.getIfAvailable() != null) {
            store.releaseAllClaims(); // single node by construction: the store file is locked by us
        }
        return store;
    }

    /**
     * A projection that fails on an event must not skip it (Axon's default logs and goes on): the
     * error propagates, the processor backs off and retries the batch, and the idempotent handlers
     * absorb what was already applied.
     */
    @Bean
    ListenerInvocationErrorHandler listenerInvocationErrorHandler() {
        return PropagatingErrorHandler.instance();
    }

    /**
     * What this JVM's processors have applied, for read-your-writes waits: a group counts as processed
     * here while its processor runs in this JVM and holds every one of its segments.
     */
    @Bean
    ProjectionProgress projectionProgress(ObjectProvider<org.axonframework.config.Configuration> axon) {
        // Resolved once it exists: a bean lookup at every call searched the bean factory's candidates, most
        // of a rights check's time (JFR, issuance phase: DefaultListableBeanFactory.findAutowireCandidates).
        java.util.concurrent.atomic.AtomicReference<org.axonframework.config.Configuration> resolved =
                new java.util.concurrent.atomic.AtomicReference<>();
        return new ProjectionProgress(group -> {
            org.axonframework.config.Configuration config = resolved.get();
            if (config == null) {
                config = axon.getIfAvailable();
                resolved.compareAndSet(null, config);
            }
            return config != null && config.eventProcessingConfiguration()
                    .eventProcessor(group, StreamingEventProcessor.class)
                    .map(p -> p.isRunning() && holdsEverySegment(p.processingStatus().values().stream()
                            .map(org.axonframework.eventhandling.EventTrackerStatus::getSegment).toList()))
                    .orElse(false);
        });
    }

    /**
     * Whether the segments held cover the whole processor: a segment of mask {@code m} is {@code 1/(m+1)} of
     * it. A node holding one of two segments must not answer for members of the other, which it may have
     * applied before another node took that segment over.
     */
    static boolean holdsEverySegment(java.util.Collection<org.axonframework.eventhandling.Segment> held) {
        long whole = 1L << 32;
        long covered = 0;
        for (org.axonframework.eventhandling.Segment segment : held) {
            covered += whole / (segment.getMask() + 1L);
        }
        return covered == whole;
    }

    /**
     * Every processor's batches report, once committed, each aggregate's last sequence number in them to
     * {@link ProjectionProgress} (which wakes the read-your-writes waits of this JVM): a mutation answers
     * as soon as its projection is written, and waiting threads look in memory instead of querying the
     * read model each time any processor commits.
     */
    @Bean
    ConfigurerModule wakeReadYourWritesWaits(ProjectionProgress progress) {
        String key = ProjectionProgress.class.getName();
        return configurer -> configurer.eventProcessing().registerDefaultHandlerInterceptor((c, group) ->
                (MessageHandlerInterceptor<EventMessage<?>>) (unitOfWork, chain) -> {
                    UnitOfWork<?> root = unitOfWork.root();
                    Map<String, Long> last = root.getOrComputeResource(key, k -> {
                        Map<String, Long> batch = new HashMap<>();
                        root.afterCommit(u -> progress.committed(group, batch));
                        return batch;
                    });
                    if (unitOfWork.getMessage() instanceof DomainEventMessage<?> event
                            && event.getAggregateIdentifier() != null) {
                        last.merge(event.getAggregateIdentifier(), event.getSequenceNumber(), Math::max);
                    }
                    return chain.proceed();
                });
    }

    /**
     * No transactions: the store has none, and the engine makes batches atomic itself. But not Axon's
     * {@code NoTransactionManager} itself: seeing it, a tracking processor extends its claim before every
     * batch (one findAndModify per batch and processor, 2.5 per certificate issued) and stores its token
     * after the batch. With any other manager it stores the token as the batch starts, which
     * {@code MongoTokenStore} defers until the batch's unit of work has committed (the same order as
     * before), and extends its claim only for a batch that takes longer than a second; an idle processor
     * still extends it every few seconds.
     */
    @Bean
    TransactionManager axonTransactionManager() {
        return new NoTransactions();
    }

    static final class NoTransactions implements TransactionManager {
        @Override
        public org.axonframework.common.transaction.Transaction startTransaction() {
            return NoTransactionManager.INSTANCE.startTransaction();
        }
    }

    /**
     * Members cached only where this process is the store's sole writer (the embedded default, while no
     * other process connects to it: {@link EmbeddedMongo#soleWriter}): there nobody else appends, so a
     * cached member is current, and a command costs no snapshot read and no replay of the events after
     * it. With a MongoDB URI there is no cache: a node caching a member would
     * decide the next command on its cached state without seeing what another node appended since. A
     * conflicting append is caught by the store's optimistic lock, but a refusal appends nothing, so it
     * was given on stale state (a member verified through the other node was refused as unverified:
     * TwoInstancesTest). There members load from their snapshot (every 50 events) and the events after it.
     */
    @Bean
    Cache memberCache(ObjectProvider<EmbeddedMongo> embedded) {
        return embedded.getIfAvailable() != null ? new BoundedAggregateCache(CACHED_MEMBERS, soleWriter(embedded))
                : NoCache.INSTANCE;
    }

    /** How many members the sole writer keeps loaded. */
    static final int CACHED_MEMBERS = 10_000;

    /**
     * Certificate requests likewise: each is loaded by the command that signs it, moments after the one
     * that created it.
     */
    @Bean
    Cache certificateRequestCache(ObjectProvider<EmbeddedMongo> embedded) {
        return embedded.getIfAvailable() != null ? new BoundedAggregateCache(CACHED_REQUESTS, soleWriter(embedded))
                : NoCache.INSTANCE;
    }

    /** How many certificate requests the sole writer keeps loaded. */
    static final int CACHED_REQUESTS = 2_000;

    @Bean
    SnapshotTriggerDefinition memberSnapshotTrigger(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, SNAPSHOT_EVERY);
    }

    /**
     * Axon 4.13's Jackson 3 serializer otherwise rejects its own ReplayToken (and our snapshots'
     * nested types), and a streaming processor then retries forever without processing anything.
     * Instants are read by {@link UtcInstantDeserializer}.
     */
    @Bean
    Jackson3SerializerCustomizer polymorphicTypesOfAxonAndLedger() {
        return builder -> builder.polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("org.axonframework.").allowIfSubType("org.trustledger.").build())
                .addModule(UtcInstantDeserializer.module());
    }
}
