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
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bson.Document;
import org.bson.types.Binary;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * The CRLs of each issuing CA (RFC 5280 5), rebuilt from the register after every revocation and
 * before the current ones run out: {@link CrlShards#COUNT} partitioned CRLs of members' certificates
 * (each certificate names its shard; each shard CRL says which it is in a critical issuing
 * distribution point, onlyContainsUserCerts) and one CA-level CRL of revoked CA certificates
 * (onlyContainsCACerts; the intermediate's distribution point). Each carries a CRL number that only
 * grows (taken by unique insertion, so two nodes never publish the same number) and the CA's
 * authority key identifier. The newest of each is kept in {@code crls} and served as is.
 */
public class CrlPublisher {

    /** How long a CRL is valid; a new one is published when half of it has passed. */
    public static final Duration VALIDITY = Duration.ofDays(1);
    /** The shard number of the CA-level CRL (CA certificates only). */
    public static final int CA_CERTIFICATES = -1;
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

    /** The current CRL (DER) of a shard, or of {@link #CA_CERTIFICATES}, publishing one first if there is none yet. */
    public byte[] current(CaId ca, int shard) {
        checkShard(shard);
        return latest(ca, shard).map(d -> d.get("der", Binary.class).getData()).orElseGet(() -> publish(ca, shard).der());
    }

    /**
     * Publishes a new CRL of each shard whose register lists revocations the current one lacks, or whose
     * validity is half over. Returns how many were published.
     */
    public int publishIfStale(CaId ca) {
        int published = 0;
        Instant now = clock.instant();
        for (int shard = CA_CERTIFICATES; shard < CrlShards.COUNT; shard++) {
            Optional<Document> latest = latest(ca, shard);
            boolean stale = latest.isEmpty() || latest.get().getLong("revoked") != countRevokedExactly(ca, shard)
                    || latest.get().getDate("thisUpdate").toInstant().plus(VALIDITY.dividedBy(2)).isBefore(now);
            if (stale) {
                publish(ca, shard);
                published++;
            }
        }
        return published;
    }

    /** Builds, signs and stores a fresh CRL of the shard. */
    public Published publish(CaId ca, int shard) {
        checkShard(shard);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long revokedBefore = countRevokedExactly(ca, shard);
        CrlBuilder builder = new CrlBuilder(X500Name.getInstance(cas.certificate(ca).getSubjectX500Principal().getEncoded()),
                now, now.plus(VALIDITY));
        if (shard != CA_CERTIFICATES) {
            register.forEachRevoked(ca, shard, d -> builder.revoked(new BigInteger(d.getString("_id"), 16),
                    d.getDate("revokedAt").toInstant(), RevocationReason.valueOf(d.getString("reason")).code()));
        }
        long number = nextNumber(ca, shard);
        try {
            builder.extension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            builder.extension(Extension.authorityKeyIdentifier, false, new BcX509ExtensionUtils()
                    .createAuthorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(cas.signer(ca).publicKey().getEncoded())));
            String url = shard == CA_CERTIFICATES ? cas.settings().crlUrl(ca) : cas.settings().crlUrl(ca, shard);
            builder.extension(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(
                    new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url))),
                    shard != CA_CERTIFICATES, shard == CA_CERTIFICATES, null, false, false));
            X509CRLHolder crl = builder.sign(cas.signer(ca).contentSigner("SHA384"));
            byte[] der = crl.getEncoded();
            crls.replaceOne(eq("_id", id(ca, shard)), new Document("_id", id(ca, shard)).append("number", number)
                    .append("thisUpdate", Date.from(now)).append("revoked", revokedBefore).append("der", new Binary(der)),
                    new ReplaceOptions().upsert(true));
            return new Published(number, der);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot publish the " + id(ca, shard) + " CRL: " + e.getMessage(), e);
        }
    }

    /** A published CRL: its number and DER bytes. */
    public record Published(long number, byte[] der) {
    }

    private long countRevokedExactly(CaId ca, int shard) {
        return shard == CA_CERTIFICATES ? 0 : register.countRevokedExactly(ca, shard);
    }

    private static void checkShard(int shard) {
        if (shard < CA_CERTIFICATES || shard >= CrlShards.COUNT) {
            throw new IllegalArgumentException("No CRL shard " + shard + ": shards are 0 to " + (CrlShards.COUNT - 1) + ".");
        }
    }

    /** "class3" for the CA-level CRL, "class3-5" for shard 5: also the file name under /crl/. */
    static String id(CaId ca, int shard) {
        return shard == CA_CERTIFICATES ? ca.slug() : ca.slug() + "-" + shard;
    }

    private Optional<Document> latest(CaId ca, int shard) {
        return Optional.ofNullable(crls.find(eq("_id", id(ca, shard))).first());
    }

    private long nextNumber(CaId ca, int shard) {
        long n = latest(ca, shard).map(d -> d.getLong("number") + 1).orElse(1L);
        while (true) {
            try {
                numbers.insertOne(new Document("_id", id(ca, shard) + ":" + n));
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
