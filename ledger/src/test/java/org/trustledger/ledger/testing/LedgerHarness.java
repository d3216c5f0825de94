package org.trustledger.ledger.testing;

import com.mongodb.client.MongoDatabase;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.trustledger.ledger.arbitration.ArbitrationCase;
import org.trustledger.ledger.arbitration.ArbitrationHandler;
import org.trustledger.ledger.arbitration.CaseNumbers;
import org.trustledger.ledger.arbitration.CertificateCheck;
import org.trustledger.ledger.eventstore.MongoEventStorageEngine;
import org.trustledger.ledger.upcasting.LedgerUpcasters;
import org.trustledger.ledger.member.AssuranceRegistry;
import org.trustledger.ledger.roles.RoleHandler;
import org.trustledger.ledger.member.AssuranceHandler;
import org.trustledger.ledger.member.DomainRegistry;
import org.trustledger.ledger.member.DomainVerificationHandler;
import org.trustledger.ledger.member.EmailRegistry;
import org.trustledger.ledger.organisation.Organisation;
import org.trustledger.ledger.organisation.OrganisationHandler;
import org.trustledger.ledger.member.EmailTokens;
import org.trustledger.ledger.member.EmailVerificationHandler;
import org.trustledger.ledger.member.Member;
import org.trustledger.ledger.member.SecretHasher;
import org.trustledger.ledger.member.TtpHandler;

/**
 * The ledger's write side wired with plain Axon configuration (no Spring): our event storage engine
 * on a real MongoDB wire server, the Member aggregate with snapshots, and the cross-member handlers.
 */
public final class LedgerHarness implements AutoCloseable {

    public final MongoDatabase db;
    public final EmailRegistry registry;
    public final DomainRegistry domains;
    public final EmailTokens tokens;
    public final MutableClock clock;
    public final AssuranceRegistry assurances;
    /** What the issuance side would report per member (it has no certificates in these tests unless set). */
    public final Map<String, List<CertificateCheck.CertificateStatus>> certificates = new ConcurrentHashMap<>();
    public final Configuration config;

    public LedgerHarness(MongoDatabase db, int snapshotEvery) {
        this.db = db;
        this.registry = new EmailRegistry(db);
        this.domains = new DomainRegistry(db);
        this.tokens = new EmailTokens(db, new SecureRandom());
        this.assurances = new AssuranceRegistry(db);
        this.clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
        SecretHasher hasher = new SecretHasher(4);
        AggregateConfigurer<Member> member = AggregateConfigurer.defaultConfiguration(Member.class)
                .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), snapshotEvery));
        this.config = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> Jackson3Serializer.builder().build())
                .configureEmbeddedEventStore(c -> MongoEventStorageEngine.builder().database(db)
                        .snapshotSerializer(c.serializer()).eventSerializer(c.eventSerializer())
                        .upcasterChain(LedgerUpcasters.chain()).build())
                .configureAggregate(member)
                .registerComponent(EmailRegistry.class, c -> registry)
                .registerComponent(EmailTokens.class, c -> tokens)
                .registerComponent(SecretHasher.class, c -> hasher)
                .registerComponent(Clock.class, c -> clock)
                .configureAggregate(ArbitrationCase.class)
                .registerCommandHandler(c -> new AssuranceHandler(c.repository(Member.class), registry, assurances, clock))
                .registerCommandHandler(c -> new RoleHandler(c.repository(Member.class), clock))
                .registerCommandHandler(c -> new TtpHandler(c.repository(Member.class), registry, assurances, clock))
                .registerCommandHandler(c -> new ArbitrationHandler(c.repository(ArbitrationCase.class),
                        c.repository(Member.class), new CaseNumbers(db), assurances, registry, domains,
                        memberId -> certificates.getOrDefault(memberId, List.of()), clock))
                .registerComponent(DomainRegistry.class, c -> domains)
                .registerCommandHandler(c -> new DomainVerificationHandler(c.repository(Member.class), registry, domains,
                        tokens, clock))
                .configureAggregate(Organisation.class)
                .registerCommandHandler(c -> new OrganisationHandler(c.repository(Organisation.class),
                        c.repository(Member.class), registry, domains, tokens, clock))
                .registerCommandHandler(c -> new EmailVerificationHandler(c.repository(Member.class), registry, tokens, clock))
                .buildConfiguration();
        config.start();
    }

    public CommandGateway commands() {
        return config.commandGateway();
    }

    public EventStore eventStore() {
        return config.eventStore();
    }

    @Override
    public void close() {
        config.shutdown();
    }

    /** A clock tests can move. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void advance(java.time.Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
