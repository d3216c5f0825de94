package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Login with a client certificate issued by this CA, over mutual TLS on its own port, with Java's
 * HttpClient and a key store as the TLS client: accepted while the certificate is valid, refused
 * once it is revoked, and no handshake at all without a certificate.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class ClientCertificateLoginTest {

    static final int MTLS_PORT = IssuanceGraphQlTest.freePort();
    static final org.trustledger.ledger.testing.LedgerHarness.MutableClock CLOCK =
            new org.trustledger.ledger.testing.LedgerHarness.MutableClock(java.time.Instant.now());

    @org.springframework.boot.test.context.TestConfiguration
    static class Clocks {
        @org.springframework.context.annotation.Bean
        @org.springframework.context.annotation.Primary
        org.trustledger.ledger.testing.LedgerHarness.MutableClock testClock() {
            return CLOCK;
        }
    }

    @Autowired
    HttpGraphQlTester anonymousGraphQl;
    @LocalServerPort
    int port;
    Identities ids;

    @DynamicPropertySource
    static void ports(DynamicPropertyRegistry registry) {
        registry.add("trustledger.security.client-cert-port", () -> MTLS_PORT);
    }

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    @BeforeEach
    void logIn() {
        ids = new Identities(anonymousGraphQl, port);
    }

    @Test
    void a_valid_client_certificate_logs_its_member_in_and_a_revoked_one_does_not() throws Exception {
        LedgerGraphQlTest helper = LedgerGraphQlTest.over(ids);
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper.registerAndVerify(email, "1988-08-08");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        String publicKey = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Map<?, ?> cert = ids.as(email).document("mutation($m: ID!, $k: String!) { requestCertificate(input: {memberId: $m,"
                        + " kind: CLIENT, publicKey: $k}) { certificate { serial pem } error { code message } } }")
                .variable("m", member).variable("k", publicKey).execute()
                .path("requestCertificate.error").valueIsNull()
                .path("requestCertificate.certificate").entity(Map.class).get();
        String rootPem = ids.as(email).document("{ caCertificates { name pem } }").execute()
                .path("caCertificates[?(@.name == 'class1')].pem").entityList(String.class).get().get(0);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate clientCert = (X509Certificate) x509.generateCertificate(
                new ByteArrayInputStream(((String) cert.get("pem")).getBytes(StandardCharsets.US_ASCII)));
        X509Certificate root = (X509Certificate) x509.generateCertificate(
                new ByteArrayInputStream(rootPem.getBytes(StandardCharsets.US_ASCII)));

        HttpClient withCertificate = client(pair, new Certificate[] {clientCert, root}, root);
        HttpResponse<String> me = meOver(withCertificate);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains(member);

        HttpClient withoutCertificate = client(null, null, root);
        assertThatThrownBy(() -> meOver(withoutCertificate)).as("the port requires a client certificate")
                .isInstanceOf(IOException.class);

        ids.as(email).document("mutation($s: String!) { revokeCertificate(serial: $s, reason: KEY_COMPROMISE) {"
                        + " certificate { status } error { code } } }").variable("s", cert.get("serial")).execute()
                .path("revokeCertificate.certificate.status").entity(String.class).isEqualTo("REVOKED");
        HttpResponse<String> refused = meOver(client(pair, new Certificate[] {clientCert, root}, root));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("UNAUTHENTICATED");

        // A certificate past its notAfter (the ledger's clock moved on) no longer logs anyone in.
        Map<?, ?> shortLived = ids.as(email).document("mutation($m: ID!, $k: String!) { requestCertificate(input: {"
                        + "memberId: $m, kind: CLIENT, publicKey: $k, validityDays: 1}) { certificate { pem } } }")
                .variable("m", member).variable("k", publicKey).execute()
                .path("requestCertificate.certificate").entity(Map.class).get();
        X509Certificate dayCert = (X509Certificate) x509.generateCertificate(
                new ByteArrayInputStream(((String) shortLived.get("pem")).getBytes(StandardCharsets.US_ASCII)));
        assertThat(meOver(client(pair, new Certificate[] {dayCert, root}, root)).statusCode()).isEqualTo(200);
        CLOCK.advance(java.time.Duration.ofDays(2));
        HttpResponse<String> expired = meOver(client(pair, new Certificate[] {dayCert, root}, root));
        assertThat(expired.statusCode()).isEqualTo(401);
    }

    HttpResponse<String> meOver(HttpClient client) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + MTLS_PORT + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ me { id } }\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpClient client(KeyPair pair, Certificate[] chain, X509Certificate root) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (pair != null) {
            keys.setKeyEntry("me", pair.getPrivate(), "pw".toCharArray(), chain);
        }
        kmf.init(keys, "pw".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("class1", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }
}
