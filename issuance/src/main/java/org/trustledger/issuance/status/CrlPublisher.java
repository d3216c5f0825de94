package org.trustledger.issuance.status;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bson.Document;
import org.bson.types.Binary;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * One CRL per issuing CA (RFC 5280 5), rebuilt from the register after every revocation and before the
 * current one runs out. Each carries a CRL number that only grows (taken by unique insertion, so two
 * nodes never publish the same number) and the CA's authority key identifier. The newest is kept in
 * {@code crls} and served as is.
 */
public class CrlPublisher {

    /** How long a CRL is valid; a new one is published when half of it has passed. */
    public static final Duration VALIDITY = Duration.ofDays(1);
    private final CertificateRegister register;
    private final CaHierarchy cas;
    private final Clock clock;
    private final MongoCollection<Document> crls;
    private final MongoCollection<Document> numbers;

    public CrlPublisher(MongoDatabase database, CertificateRegister register, CaHierarchy cas, Clock clock) {
        MongoCollections.ensure(database, "crls", "crl_numbers");
        this.crls = database.getCollection("crls");
        this.numbers = database.getCollection("crl_numbers");
        this.register = register;
        this.cas = cas;
        this.clock = clock;
    }

    /** The current CRL of the CA (DER), publishing one first if there is none yet. */
    public byte[] current(CaId ca) {
        return latest(ca).map(d -> d.get("der", Binary.class).getData()).orElseGet(() -> publish(ca).der());
    }

    /**
     * Publishes a new CRL when the register lists revocations the current one lacks, or when half of
     * its validity has passed. Returns whether one was published.
     */
    public boolean publishIfStale(CaId ca) {
        Optional<Document> latest = latest(ca);
        Instant now = clock.instant();
        boolean stale = latest.isEmpty() || latest.get().getLong("revoked") != register.revokedCount(ca)
                || latest.get().getDate("thisUpdate").toInstant().plus(VALIDITY.dividedBy(2)).isBefore(now);
        if (stale) {
            publish(ca);
        }
        return stale;
    }

    /** Builds, signs and stores a fresh CRL of the CA. */
    public Published publish(CaId ca) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long revokedBefore = register.revokedCount(ca);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(cas.certificate(ca).getSubjectX500Principal().getEncoded()), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(VALIDITY)));
        register.forEachRevoked(ca, d -> builder.addCRLEntry(new BigInteger(d.getString("_id"), 16),
                d.getDate("revokedAt"), RevocationReason.valueOf(d.getString("reason")).code()));
        long number = nextNumber(ca);
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new BcX509ExtensionUtils()
                    .createAuthorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(cas.signer(ca).publicKey().getEncoded())));
            X509CRLHolder crl = builder.build(cas.signer(ca).contentSigner("SHA384"));
            byte[] der = crl.getEncoded();
            crls.replaceOne(eq("_id", ca.slug()), new Document("_id", ca.slug()).append("number", number)
                    .append("thisUpdate", Date.from(now)).append("revoked", revokedBefore).append("der", new Binary(der)),
                    new ReplaceOptions().upsert(true));
            return new Published(number, der);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot publish the " + ca.slug() + " CRL: " + e.getMessage(), e);
        }
    }

    /** A published CRL: its number and DER bytes. */
    public record Published(long number, byte[] der) {
    }

    private Optional<Document> latest(CaId ca) {
        return Optional.ofNullable(crls.find(eq("_id", ca.slug())).first());
    }

    private long nextNumber(CaId ca) {
        long n = latest(ca).map(d -> d.getLong("number") + 1).orElse(1L);
        while (true) {
            try {
                numbers.insertOne(new Document("_id", ca.slug() + ":" + n));
                return n;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                n++;
            }
        }
    }
}
