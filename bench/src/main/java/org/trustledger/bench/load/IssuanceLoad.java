package org.trustledger.bench.load;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Figure 2, end-to-end issuance: a member asks for a client certificate with a PEM CSR through GraphQL
 * ({@code requestCertificate}), and the server reads the member's rights, records the reservation,
 * lints, signs, records the issued certificate and answers it. The same work as the JMH benchmark
 * (1b) plus everything around it, which is what the ratio to (1b) shows.
 *
 * <p>The CSRs (EC P-256 keys, as in (1b)) are made before the clock starts, a pool of distinct keys
 * used in turn, so that the driver spends no CPU on key generation while it measures: the server
 * shares the machine's two cores with it. Requests go round the members, so that no member's record
 * is a hot spot a real community would not have. Serials issued are kept for the OCSP load.
 */
final class IssuanceLoad {

    static final String REQUEST = "mutation($input: RequestCertificateInput!) { requestCertificate(input: $input) "
            + "{ certificate { serial } error { code message } } }";
    private static final int KEPT_SERIALS = 20_000;

    private final Http http;
    private final List<Community.Member> members;
    private final List<String> csrs;
    private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong shared = new AtomicLong();
    final Queue<BigInteger> serials = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

    IssuanceLoad(Http http, List<Community.Member> members, int distinctKeys) {
        this.http = http;
        this.members = members;
        this.csrs = new ArrayList<>();
        for (int i = 0; i < distinctKeys; i++) {
            csrs.add(csr());
        }
    }

    /** A closed-loop client: its own members (every {@code clients}-th from {@code index}), in turn. */
    Supplier<Outcome> client(int index, int clients) {
        long[] k = {index};
        return () -> {
            long n = k[0];
            k[0] += clients;
            return request(n);
        };
    }

    /** For the open loop, whose workers share one sequence of requests. */
    Supplier<Outcome> shared() {
        return () -> request(shared.getAndIncrement());
    }

    private Outcome request(long n) {
        Community.Member member = members.get((int) (n % members.size()));
        String csr = csrs.get((int) ((n / members.size()) % csrs.size()));
        JsonNode response;
        try {
            response = http.graphQl(member.token(), REQUEST, Map.of("input",
                    Map.of("memberId", member.id(), "kind", "CLIENT", "csr", csr)));
        } catch (RuntimeException e) {
            if (reported.compareAndSet(false, true)) {
                System.err.println("[bench] issuance: first failed request: " + e.getMessage());
            }
            return Outcome.failed(e.getClass().getSimpleName());
        }
        Outcome outcome = Http.outcome(response, "requestCertificate");
        if (outcome.ok()) {
            JsonNode serial = response.path("data").path("requestCertificate").path("certificate").path("serial");
            if (!serial.isString()) {
                return Outcome.failed("NO_SERIAL");
            }
            if (kept.incrementAndGet() <= KEPT_SERIALS) {
                serials.add(new BigInteger(serial.asString(), 16));
            }
        }
        return outcome;
    }

    /** A PKCS#10 request for a fresh EC P-256 key, self-signed with SHA-256, in PEM. */
    private static String csr() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair key = generator.generateKeyPair();
            byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=bench member"), key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
            return "-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END CERTIFICATE REQUEST-----\n";
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("Cannot make a CSR", e);
        }
    }
}
