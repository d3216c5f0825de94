package org.trustledger.server.config;

import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.issuance.IssuanceDesk;
import org.trustledger.issuance.IssuanceService;
import org.trustledger.issuance.MemberRights;
import org.trustledger.issuance.RevocationOrders;
import org.trustledger.issuance.RevocationPolicy;
import org.trustledger.issuance.Serials;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.ca.CaSettings;
import org.trustledger.issuance.ca.KeyHome;
import org.trustledger.issuance.ca.Pkcs11KeyHome;
import org.trustledger.issuance.ca.Pkcs12KeyHome;
import org.trustledger.issuance.openpgp.OpenPgpCa;
import org.trustledger.issuance.status.CrlPublisher;
import org.trustledger.issuance.status.OcspResponder;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.OrganisationProjection;

/** The CA: keys (PKCS#12 or PKCS#11), the issuance aggregate's collaborators, CRL and OCSP. */
@Configuration(proxyBeanMethods = false)
public class IssuanceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IssuanceConfiguration.class);

    @Bean
    CaHierarchy caHierarchy(TrustLedgerProperties props, Clock clock) {
        TrustLedgerProperties.Issuance cfg = props.issuance();
        Path dir = keyDirectory(props);
        char[] passphrase = passphrase(cfg, dir);
        KeyHome home = cfg.pkcs11().library() != null
                ? new Pkcs11KeyHome(cfg.pkcs11().library(), cfg.pkcs11().slotListIndex(),
                        cfg.pkcs11().pin() == null ? new char[0] : cfg.pkcs11().pin().toCharArray())
                : new Pkcs12KeyHome(dir.resolve("ca-keys.p12"), passphrase);
        return CaHierarchy.loadOrCreate(home, new CaSettings(dir, passphrase, cfg.keyAlgorithm(), cfg.organisation(),
                cfg.baseUrl()), clock);
    }

    @Bean
    OpenPgpCa openPgpCa(TrustLedgerProperties props, CaHierarchy cas, Clock clock) {
        CaSettings s = cas.settings();
        return OpenPgpCa.loadOrCreate(s.keyDirectory(), s.passphrase(),
                s.organisation() + " OpenPGP CA <openpgp-ca@" + s.baseUrl().getHost() + ">", clock);
    }

    /** With the in-memory store nothing outlives the process, CA keys included: they go to a temporary directory. */
    private static Path keyDirectory(TrustLedgerProperties props) {
        if (props.issuance().keyDirectory() != null) {
            return props.issuance().keyDirectory();
        }
        if ("memory".equals(props.embedded().storage())) {
            try {
                Path tmp = Files.createTempDirectory("trust-ledger-ca");
                return tmp;
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create a temporary CA key directory", e);
            }
        }
        return props.dataDir().resolve("ca");
    }

    /**
     * The configured passphrase, or one made on first start and kept in {@code passphrase} beside the
     * keys (owner-only). Production sets trustledger.issuance.key-passphrase and keeps it elsewhere.
     */
    private static char[] passphrase(TrustLedgerProperties.Issuance cfg, Path dir) {
        if (cfg.keyPassphrase() != null && !cfg.keyPassphrase().isBlank()) {
            return cfg.keyPassphrase().toCharArray();
        }
        Path file = dir.resolve("passphrase");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not POSIX
                }
                log.warn("No trustledger.issuance.key-passphrase set: generated one in {}. Set your own in production"
                        + " and keep it away from the key store.", file);
            }
            return Files.readString(file).strip().toCharArray();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the CA key passphrase file " + file, e);
        }
    }

    @Bean
    Serials serials(MongoDatabase db, SecureRandom random) {
        return new Serials(db, random);
    }

    /**
     * The rights check of every certificate request, timed: {@code trustledger_issuance_rights_check_seconds}
     * with its p50 and p99 over the last two minutes (issue 7, figure 3: p99 <= 0.2 ms; bench/run reads it).
     */
    @Bean
    MemberRights memberRights(EventStore eventStore, MemberReadModel members, OrganisationProjection organisations,
                              TrustLedgerProperties props, io.micrometer.core.instrument.MeterRegistry registry,
                              org.trustledger.ledger.eventstore.MongoEventStorageEngine engine,
                              org.trustledger.query.ProjectionProgress progress, Clock clock) {
        io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer
                .builder("trustledger.issuance.rights.check")
                .description("A certificate request's rights check: the member as of their latest ledger event")
                .publishPercentiles(0.5, 0.99).register(registry);
        return new MemberRights(eventStore, members, organisations, props.readModelWait(), engine::hasEvent, progress) {
            @Override
            public org.trustledger.query.MemberView current(String memberId) {
                return timer.record(() -> super.current(memberId));
            }
        }.withKnownLast(engine::knownLastSequence, clock);
    }

    @Bean
    IssuanceDesk issuanceDesk(MemberRights rights, CaHierarchy cas, Serials serials, Clock clock) {
        return new IssuanceDesk(rights, cas, serials, clock);
    }

    @Bean
    RevocationPolicy revocationPolicy(MemberReadModel members) {
        return new RevocationPolicy(members);
    }

    @Bean
    CrlPublisher crlPublisher(MongoDatabase db, CertificateRegister register, CaHierarchy cas, Clock clock) {
        return new CrlPublisher(db, register, cas, clock);
    }

    @Bean
    OcspResponder ocspResponder(CertificateRegister register, CaHierarchy cas, Clock clock) {
        return new OcspResponder(register, cas, register.ocspResponses(), clock);
    }

    @Bean
    IssuanceService issuanceService(CommandGateway commands, EventStore eventStore, CertificateRegister register,
                                    IssuanceDesk desk, CrlPublisher crls, TrustLedgerProperties props,
                                    org.trustledger.query.ProjectionProgress progress, Clock clock) {
        return new IssuanceService(commands, eventStore, register, desk, crls, props.readModelWait(), progress);
    }

    @Bean
    RevocationOrders revocationOrders(IssuanceService issuance, IssuanceDesk desk, CertificateRegister register) {
        return new RevocationOrders(issuance, desk, register);
    }
}
