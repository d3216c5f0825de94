package org.trustledger.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.ca.Signer;
import org.trustledger.issuance.status.CrlBuilder;
import org.trustledger.issuance.status.CrlPublisher;

/**
 * How long a CA needs to build, sign and encode a very large CRL, and how big it gets: 100,000 and
 * 1,000,000 revoked entries, each a random 127-bit serial with its revocation date and a reason code
 * extension, signed with SHA256withECDSA by an ECDSA P-256 CA key. Bouncy Castle through
 * {@link CrlBuilder}, as {@link CrlPublisher#publish} writes a CRL (issuer, this and next update, one entry
 * per revocation, CRL number, authority key identifier), without the database: {@code publish} reads the
 * register from and stores the CRL in MongoDB. One CRL per invocation, so the mode is single shot; the
 * encoded size is printed at the end.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@State(Scope.Benchmark)
public class CrlBenchmark {

    /**
     * A reason other than unspecified on every entry: an unspecified reason is written without the
     * extension (RFC 5280 section 5.3.1), which would make the CRL smaller than the worst case.
     */
    private static final RevocationReason[] REASONS = Arrays.stream(RevocationReason.values())
            .filter(r -> r != RevocationReason.UNSPECIFIED).toArray(RevocationReason[]::new);
    private static final long YEAR_SECONDS = 365L * 24 * 60 * 60;

    @Param({"100000", "1000000"})
    public int revoked;

    private Signer ca;
    private X500Name issuer;
    private BigInteger[] serials;
    private Instant[] revokedAt;
    private int[] reasons;
    private volatile int encodedBytes;

    @Setup
    public void setUp() {
        CaHierarchy cas = BenchmarkCa.hierarchy("EC-P256");
        ca = cas.signer(BenchmarkCa.ISSUER);
        issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        // A fixed seed: every run lists the same serials, so the sizes of two runs compare.
        Random random = new Random(20261123);
        long now = Instant.now().getEpochSecond();
        serials = new BigInteger[revoked];
        revokedAt = new Instant[revoked];
        reasons = new int[revoked];
        for (int i = 0; i < revoked; i++) {
            serials[i] = new BigInteger(127, random);
            revokedAt[i] = Instant.ofEpochSecond(now - (long) (random.nextDouble() * YEAR_SECONDS));
            reasons[i] = REASONS[i % REASONS.length].code();
        }
    }

    /** (7) The whole CRL: every entry added, extensions, signature, DER. */
    @Benchmark
    public byte[] buildAndSign() throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CrlBuilder builder = new CrlBuilder(issuer, now, now.plus(CrlPublisher.VALIDITY));
        for (int i = 0; i < serials.length; i++) {
            builder.revoked(serials[i], revokedAt[i], reasons[i]);
        }
        builder.extension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
        builder.extension(Extension.authorityKeyIdentifier, false, new BcX509ExtensionUtils()
                .createAuthorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(ca.publicKey().getEncoded())));
        byte[] der = builder.sign(ca.contentSigner("SHA256")).getEncoded();
        encodedBytes = der.length;
        return der;
    }

    @TearDown
    public void reportSize() {
        System.out.printf("%nCRL with %,d revoked entries: %,d bytes DER (%.1f MiB)%n", revoked, encodedBytes,
                encodedBytes / (1024.0 * 1024.0));
    }
}
