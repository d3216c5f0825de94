package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trustledger.issuance.status.CrlShards;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issuance end to end through GraphQL, judged by tools nobody here wrote: openssl verify, s_server and
 * s_client, cms, ocsp; keytool and jarsigner; Java's PKIX validator with revocation checking. Domain
 * tokens travel by real SMTP (GreenMail) and are read from the received mail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json", "trustledger.mail.relay=200ms"})
@AutoConfigureHttpGraphQlTester
class IssuanceGraphQlTest extends LoggedInGraphQlTest {

    static final int PORT = freePort();
    static final String BASE = "http://127.0.0.1:" + PORT;
    static final GreenMail SMTP = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", "smtp"));
    static final String CERT_FIELDS = "serial status subject names pem fingerprint issuer kind notBefore notAfter"
            + " revocationReason rights ledgerSequence";
    static final String REQUEST = "mutation($input: RequestCertificateInput!) { requestCertificate(input: $input) {"
            + " requestId certificate { " + CERT_FIELDS + " } error { code message } } }";


    @TempDir
    Path dir;

    @DynamicPropertySource
    static void ports(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("trustledger.issuance.base-url", () -> BASE);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @BeforeAll
    static void start() {
        TrustLedgerApplication.quietAxon();
        SMTP.start();
    }

    @AfterAll
    static void stop() {
        SMTP.stop();
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up): ports chosen here must stay free until
     * a server binds them later, and a port-0 bind elsewhere in the suite never lands below that range.
     */
    static int freePort() {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 200; i++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port)) {
                return s.getLocalPort();
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("No free port between 20000 and 32000");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    Path caFiles() throws IOException {
        List<Map<String, Object>> cas = graphQl.document("{ caCertificates { name pem url crlUrl ocspUrl } }").execute()
                .path("caCertificates").entityList(Map.class).get().stream().map(m -> (Map<String, Object>) m).toList();
        for (Map<String, Object> ca : cas) {
            Files.writeString(dir.resolve(ca.get("name") + ".pem"), (String) ca.get("pem"));
        }
        Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("class1.pem"))
                + Files.readString(dir.resolve("class3.pem")));
        return dir;
    }

    /** A fresh key and CSR made by openssl; the CSR's subject is ignored by the CA. */
    String csr(String name, String... keyOptions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-new", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=ignored by the CA/O=Evil Corp"));
        cmd.addAll(Arrays.asList(keyOptions.length == 0 ? new String[] {"-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256"} : keyOptions));
        Tools.Result r = Tools.run(dir, cmd);
        assertThat(r.ok()).as(r.output()).isTrue();
        return Files.readString(dir.resolve(name + ".csr"));
    }

    /** Requested by the member themselves (members request certificates for themselves only). */
    Map<String, Object> request(Map<String, Object> input) {
        return ids.asId((String) input.get("memberId")).document(REQUEST).variable("input", input).execute().path("requestCertificate")
                .entity(Map.class).get();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> issued(Map<String, Object> input, String file) throws IOException {
        Map<String, Object> payload = request(input);
        assertThat(payload.get("error")).as("refusal").isNull();
        Map<String, Object> cert = (Map<String, Object>) payload.get("certificate");
        Files.writeString(dir.resolve(file), (String) cert.get("pem"));
        return cert;
    }

    @SuppressWarnings("unchecked")
    String refusal(Map<String, Object> input) {
        Map<String, Object> payload = request(input);
        assertThat(payload.get("certificate")).as("no certificate").isNull();
        return (String) ((Map<String, Object>) payload.get("error")).get("code");
    }

    /** A serial as OpenSSL prints it in a CRL: upper case, padded to whole bytes (a 31-digit serial gets a 0). */
    static String opensslSerial(String hex) {
        return (hex.length() % 2 == 1 ? "0" + hex : hex).toUpperCase();
    }

    Map<String, Object> revoke(String serial, String reason, String by) {
        return ids.asId(by).document("mutation($s: String!, $r: RevocationReason!, $by: ID) { revokeCertificate(serial: $s,"
                        + " reason: $r, requestedBy: $by) { certificate { " + CERT_FIELDS + " } error { code message } } }")
                .variable("s", serial).variable("r", reason).variable("by", by).execute()
                .path("revokeCertificate").entity(Map.class).get();
    }

    String assure(String founderEmail, String email, String dob) {
        return as(founderEmail).documentName("recordAssurance")
                .variable("input", helper().assurance(helper().memberId(founderEmail), email, dob, 35)).execute()
                .path("recordAssurance.error").valueIsNull()
                .path("recordAssurance.assurance.id").entity(String.class).get();
    }

    String verify(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "verify", "-x509_strict"));
        cmd.addAll(List.of(args));
        return Tools.run(dir, cmd).output();
    }

    /** The token in the newest mail GreenMail received for the address. */
    String mailedToken(String to) throws Exception {
        return mailed(to, "verify\\w*Domain\\(token: \"([^\"]+)\"\\)");
    }

    /** The token (group 1 of {@code pattern}) in the first mail to {@code to} that reached the SMTP server. */
    String mailed(String to, String pattern) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (MimeMessage m : SMTP.getReceivedMessages()) {
                if (Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(to))) {
                    Matcher t = Pattern.compile(pattern).matcher(GreenMailUtil.getBody(m)
                            .replace("=\r\n", "").replace("=3D", "="));
                    assertThat(t.find()).as("token in the mail").isTrue();
                    return t.group(1);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No mail to " + to + " reached the SMTP server within 10 s");
    }

    Map<String, Object> input(String memberId, String kind, String csr, Object... more) {
        Map<String, Object> input = new java.util.HashMap<>(Map.of("memberId", memberId, "kind", kind));
        if (csr != null) {
            input.put("csr", csr);
        }
        for (int i = 0; i < more.length; i += 2) {
            input.put((String) more[i], more[i + 1]);
        }
        return input;
    }

    // ---- tests --------------------------------------------------------------------------------------

    @Test
    void an_unassured_members_client_certificate_chains_to_class1_only_and_signs_mail() throws Exception {
        caFiles();
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1990-01-01");
        Map<String, Object> cert = issued(input(member, "CLIENT", csr("client")), "client.pem");
        assertThat(cert.get("subject")).isEqualTo("CN=CAcert WoT User");
        assertThat((List<String>) cert.get("names")).containsExactly("email:" + email);
        assertThat(cert.get("issuer")).isEqualTo("CLASS1");
        assertThat(cert.get("status")).isEqualTo("VALID");
        assertThat(cert.get("fingerprint").toString()).matches("[0-9A-F]{64}");

        assertThat(verify("-CAfile", "class1.pem", "client.pem")).contains("client.pem: OK");
        assertThat(verify("-partial_chain", "-CAfile", "class3.pem", "client.pem")).doesNotContain(": OK");
        String text = Tools.ok(dir, "openssl", "x509", "-in", "client.pem", "-noout", "-text");
        assertThat(text).contains("E-mail Protection", "TLS Web Client Authentication", "email:" + email,
                BASE + "/crl/class1-" + CrlShards.of((String) cert.get("serial")) + ".crl", "OCSP - URI:" + BASE + "/ocsp/class1")
                .doesNotContain("Evil Corp");
        assertThat(Long.parseLong(cert.get("serial").toString().substring(0, Math.min(15, cert.get("serial")
                .toString().length())), 16)).isPositive();
        // 127 random bits: below 64 bits with probability 2^-63.
        assertThat(new java.math.BigInteger(cert.get("serial").toString(), 16).bitLength()).isGreaterThanOrEqualTo(64);

        Files.writeString(dir.resolve("mail.txt"), "Hello from the web of trust\n");
        Tools.ok(dir, "openssl", "cms", "-sign", "-nodetach", "-in", "mail.txt", "-signer", "client.pem", "-inkey", "client.key",
                "-out", "mail.p7m", "-outform", "PEM");
        assertThat(Tools.ok(dir, "openssl", "cms", "-verify", "-in", "mail.p7m", "-inform", "PEM", "-CAfile",
                "class1.pem", "-purpose", "smimesign")).contains("Hello from the web of trust");

        assertThat(refusal(input(member, "CLIENT", csr("c3"), "root", "CLASS3"))).isEqualTo("CLASS3_NOT_PERMITTED");
        assertThat(refusal(input(member, "CLIENT", csr("c4"), "nameVariant", "GIVEN_FAMILY")))
                .isEqualTo("NAME_IN_CERTIFICATE_NOT_PERMITTED");
        assertThat(refusal(input(member, "CLIENT", csr("c5"), "validityDays", 181))).isEqualTo("VALIDITY_TOO_LONG");
        graphQl.document("query($m: ID!) { member(id: $m) { certificates { serial status } } }").variable("m", member)
                .execute().path("member.certificates").entityList(Object.class).hasSize(1);
    }

    @Test
    void an_assured_members_class3_certificate_is_checked_by_ocsp_crl_and_pkix_then_revoked() throws Exception {
        caFiles();
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1985-05-05");
        assure(LedgerGraphQlTest.FOUNDERS[0], email, "1985-05-05");
        assure(LedgerGraphQlTest.FOUNDERS[1], email, "1985-05-05");
        Map<String, Object> cert = issued(input(member, "CLIENT", csr("assured", "-newkey", "rsa:2048"),
                "root", "CLASS3", "nameVariant", "GIVEN_FAMILY", "signatureHash", "SHA384"), "assured.pem");
        assertThat(cert.get("subject")).isEqualTo("CN=Ada Lovelace");
        assertThat(cert.get("issuer")).isEqualTo("CLASS3");
        assertThat((List<String>) cert.get("rights")).contains("clientCertificate", "nameInCertificate", "class3Root");
        assertThat(verify("-CAfile", "class1.pem", "-untrusted", "class3.pem", "assured.pem")).contains(": OK");
        assertThat(verify("-partial_chain", "-CAfile", "class3.pem", "assured.pem")).contains(": OK");
        assertThat(Tools.ok(dir, "openssl", "x509", "-in", "assured.pem", "-noout", "-text"))
                .contains("ecdsa-with-SHA384", "Ada Lovelace");

        List<String> ocsp = List.of("openssl", "ocsp", "-issuer", "class3.pem", "-cert", "assured.pem", "-url",
                BASE + "/ocsp/class3", "-CAfile", "chain.pem");
        assertThat(Tools.ok(dir, ocsp.toArray(String[]::new))).contains("assured.pem: good", "Response verify OK");
        // The same question by GET (RFC 6960 appendix A.1: the DER request, base64, URL-encoded in the path).
        List<String> write = new ArrayList<>(List.of("openssl", "ocsp", "-issuer", "class3.pem", "-cert", "assured.pem",
                "-no_nonce", "-reqout", "request.der"));
        Tools.ok(dir, write.toArray(String[]::new));
        String encoded = java.net.URLEncoder.encode(java.util.Base64.getEncoder().encodeToString(
                Files.readAllBytes(dir.resolve("request.der"))), StandardCharsets.UTF_8);
        HttpResponse<byte[]> byGet = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                BASE + "/ocsp/class3/" + encoded)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(byGet.statusCode()).isEqualTo(200);
        assertThat(byGet.headers().firstValue("Content-Type")).contains("application/ocsp-response");
        Files.write(dir.resolve("get.der"), byGet.body());
        assertThat(Tools.ok(dir, "openssl", "ocsp", "-respin", "get.der", "-issuer", "class3.pem", "-cert", "assured.pem",
                "-CAfile", "chain.pem")).contains("assured.pem: good", "Response verify OK");
        // What is not OCSP is told so: another media type, another method, an unknown CA.
        byte[] der = Files.readAllBytes(dir.resolve("request.der"));
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(BASE + "/ocsp/class3")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(der)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(BASE + "/ocsp/class3")).header("Content-Type",
                "application/ocsp-request").PUT(HttpRequest.BodyPublishers.ofByteArray(der)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("GET, POST");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(BASE + "/ocsp/class9")).header("Content-Type",
                "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(der)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        // Pre-signed (RFC 5019): the same SHA-1 request twice gets the very same signed bytes, without
        // the nonce; a SHA-256 CertID is signed for the request and echoes the nonce.
        List<String> saved = new java.util.ArrayList<>(ocsp);
        saved.addAll(List.of("-respout", "first.der"));
        Tools.ok(dir, saved.toArray(String[]::new));
        saved.set(saved.size() - 1, "second.der");
        assertThat(Tools.ok(dir, saved.toArray(String[]::new))).contains("assured.pem: good", "WARNING: no nonce in response");
        assertThat(Files.readAllBytes(dir.resolve("second.der"))).isEqualTo(Files.readAllBytes(dir.resolve("first.der")));
        List<String> sha256 = new java.util.ArrayList<>(ocsp);
        sha256.add(4, "-sha256"); // before -cert, as openssl wants
        assertThat(Tools.ok(dir, sha256.toArray(String[]::new))).contains("assured.pem: good", "Response verify OK")
                .doesNotContain("WARNING: no nonce");
        X509Certificate leaf = x509(dir.resolve("assured.pem"));
        X509Certificate class3 = x509(dir.resolve("class3.pem"));
        pkix(leaf, class3); // OCSP over HTTP as the certificate says, for the leaf and the intermediate

        String serial = (String) cert.get("serial");
        assertThat(((Map<?, ?>) revoke(serial, "PRIVILEGE_WITHDRAWN", member).get("error")).get("code"))
                .isEqualTo("REVOCATION_REASON_NOT_ALLOWED");
        assertThat(((Map<?, ?>) revoke(serial, "KEY_COMPROMISE", helper().memberId(LedgerGraphQlTest.FOUNDERS[1]))
                .get("error")).get("code")).isEqualTo("NOT_AUTHORISED");
        Map<?, ?> revoked = (Map<?, ?>) revoke(serial.toUpperCase(), "KEY_COMPROMISE", member).get("certificate");
        assertThat(revoked.get("status")).isEqualTo("REVOKED");
        assertThat(revoked.get("revocationReason")).isEqualTo("KEY_COMPROMISE");
        assertThat(((Map<?, ?>) revoke(serial, "KEY_COMPROMISE", member).get("error")).get("code"))
                .isEqualTo("ALREADY_REVOKED");
        statsCountWhatTheStoreHolds();

        assertThat(Tools.ok(dir, ocsp.toArray(String[]::new))).contains("assured.pem: revoked", "Reason: keyCompromise");
        // Its shard of the Class 3 CRLs (the certificate names it), and the CA-level CRL of Class 1 for the
        // intermediate: OpenSSL checks both scopes (issuing distribution points) along the whole chain.
        String shard = BASE + "/crl/class3-" + CrlShards.of(serial) + ".crl";
        assertThat(Tools.ok(dir, "openssl", "x509", "-in", "assured.pem", "-noout", "-text")).contains(shard);
        Files.write(dir.resolve("class3.crl"), http(shard));
        assertThat(Tools.ok(dir, "openssl", "crl", "-inform", "DER", "-in", "class3.crl", "-noout", "-text",
                "-CAfile", "chain.pem")).contains("verify OK", "Serial Number: " + opensslSerial(serial), "Key Compromise",
                "Issuing Distribution Point", "Only User Certificates", shard);
        Files.write(dir.resolve("class1-ca.crl"), http(BASE + "/crl/class1.crl"));
        Tools.ok(dir, "openssl", "crl", "-inform", "DER", "-in", "class3.crl", "-out", "class3-crl.pem");
        Tools.ok(dir, "openssl", "crl", "-inform", "DER", "-in", "class1-ca.crl", "-out", "class1-ca-crl.pem");
        assertThat(Tools.run(dir, "openssl", "verify", "-crl_check_all", "-CAfile", "class1.pem", "-untrusted", "class3.pem",
                "-CRLfile", "class3-crl.pem", "-CRLfile", "class1-ca-crl.pem", "assured.pem").output())
                .contains("certificate revoked");
        try {
            pkix(leaf, class3);
            throw new AssertionError("PKIX accepted a revoked certificate");
        } catch (CertPathValidatorException e) {
            assertThat(e.getReason()).isEqualTo(CertPathValidatorException.BasicReason.REVOKED);
        }
    }

    @Test
    void a_verified_domain_gets_a_server_certificate_that_openssl_accepts_for_tls_until_revoked() throws Exception {
        caFiles();
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1979-09-09");
        String domain = "tls-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        String host = "www." + domain;
        assertThat(refusal(input(member, "SERVER", csr("early"), "names", List.of(host)))).isEqualTo("KIND_NOT_PERMITTED");
        String add = "mutation($m: ID!, $d: String!, $a: String!) { addDomain(memberId: $m, domain: $d, approver: $a) {"
                + " member { verifiedDomains } error { code } } }";
        ids.asId(member).document(add).variable("m", member).variable("d", domain).variable("a", "postman").execute()
                .path("addDomain.error.code").entity(String.class).isEqualTo("DOMAIN_APPROVER_INVALID");
        ids.asId(member).document(add).variable("m", member).variable("d", "*." + domain).variable("a", "hostmaster").execute()
                .path("addDomain.error.code").entity(String.class).isEqualTo("DOMAIN_INVALID");
        ids.asId(member).document(add).variable("m", member).variable("d", domain).variable("a", "hostmaster").execute()
                .path("addDomain.error").valueIsNull();
        String token = mailedToken("hostmaster@" + domain);
        graphQl.document("mutation($t: String!) { verifyDomain(token: $t) { member { verifiedDomains } error { code } } }")
                .variable("t", token).execute()
                .path("verifyDomain.member.verifiedDomains").entityList(String.class).containsExactly(domain);

        assertThat(refusal(input(member, "SERVER", csr("wild"), "names", List.of("*." + domain))))
                .isEqualTo("WILDCARD_NOT_PERMITTED");
        assertThat(refusal(input(member, "SERVER", csr("two"), "names", List.of(host, "mail." + domain))))
                .isEqualTo("TOO_MANY_NAMES");
        assertThat(refusal(input(member, "SERVER", csr("other"), "names", List.of("www.example.com"))))
                .isEqualTo("HOST_NOT_IN_VERIFIED_DOMAIN");
        Map<String, Object> cert = issued(input(member, "SERVER", csr("server", "-newkey", "rsa:2048"),
                "names", List.of(host.toUpperCase())), "server.pem");
        assertThat((List<String>) cert.get("names")).containsExactly("dns:" + host);
        assertThat(verify("-CAfile", "class1.pem", "-purpose", "sslserver", "server.pem")).contains(": OK");

        int tlsPort = freePort();
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", String.valueOf(tlsPort), "-cert",
                "server.pem", "-key", "server.key", "-www").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        try {
            waitForPort(tlsPort);
            List<String> client = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort,
                    "-servername", host, "-verify_hostname", host, "-verify_return_error", "-CAfile", "class1.pem"));
            Tools.Result ok = Tools.run(dir, client);
            assertThat(ok.output()).contains("Verify return code: 0 (ok)");
            assertThat(ok.ok()).as(ok.output()).isTrue();

            assertThat(((Map<?, ?>) revoke((String) cert.get("serial"), "SUPERSEDED", member).get("certificate"))
                    .get("status")).isEqualTo("REVOKED");
            Files.write(dir.resolve("class1.crl"), http(BASE + "/crl/class1-" + CrlShards.of((String) cert.get("serial")) + ".crl"));
            Tools.ok(dir, "openssl", "crl", "-inform", "DER", "-in", "class1.crl", "-out", "class1-crl.pem");
            client.addAll(List.of("-crl_check", "-CRL", "class1-crl.pem"));
            Tools.Result refused = Tools.run(dir, client);
            assertThat(refused.ok()).isFalse();
            assertThat(refused.output()).contains("certificate revoked");
        } finally {
            server.destroyForcibly();
        }
    }

    /** The email-verification token travels like the domain tokens: outbox, SMTP, the member's mailbox. */
    @Test
    void the_email_verification_token_arrives_by_smtp_and_verifies_the_address() throws Exception {
        String email = LedgerGraphQlTest.uniqueEmail();
        graphQl.documentName("registerMember").variable("input", LedgerGraphQlTest.registration(email, "1988-08-08"))
                .execute().path("registerMember.error").valueIsNull();
        String token = mailed(email, "verifyEmail\\(token: \"([^\"]+)\"\\)");
        graphQl.documentName("verifyEmail").variable("token", token).execute().path("verifyEmail.error").valueIsNull();
        graphQl.documentName("memberByEmail").variable("email", email).execute()
                .path("memberByEmail.emailVerified").entity(Boolean.class).isEqualTo(true);
    }

    @Test
    void an_assurer_with_code_signing_signs_a_jar_that_jarsigner_verifies_strictly() throws Exception {
        caFiles();
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String bob = helper().memberId(f[1]);
        graphQl.document("mutation($m: ID!, $by: ID!) { setCodeSigning(input: {memberId: $m, enabled: true, setBy: $by,"
                        + " reason: \"signs the project's releases\"}) { error { code } } }")
                .variable("m", bob).variable("by", helper().memberId(f[0])).execute()
                .path("setCodeSigning.error").valueIsNull();
        String pass = "changeit-" + UUID.randomUUID();
        Tools.ok(dir, "keytool", "-genkeypair", "-keystore", "signer.p12", "-storetype", "PKCS12", "-storepass", pass,
                "-alias", "signer", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ignored");
        Tools.ok(dir, "keytool", "-certreq", "-keystore", "signer.p12", "-storepass", pass, "-alias", "signer",
                "-file", "signer.csr");
        Map<String, Object> cert = issued(input(bob, "CODE_SIGNING", Files.readString(dir.resolve("signer.csr"))),
                "signer.pem");
        assertThat(cert.get("subject").toString()).startsWith("CN=");
        assertThat(verify("-CAfile", "class1.pem", "-untrusted", "class3.pem", "signer.pem")).contains("signer.pem: OK");
        assertThat(Tools.ok(dir, "openssl", "x509", "-in", "signer.pem", "-noout", "-text")).contains("Code Signing");
        Files.writeString(dir.resolve("reply.pem"), Files.readString(dir.resolve("signer.pem"))
                + Files.readString(dir.resolve("class1.pem")));
        Tools.ok(dir, "keytool", "-importcert", "-noprompt", "-keystore", "signer.p12", "-storepass", pass, "-alias",
                "signer", "-file", "reply.pem");
        Tools.ok(dir, "keytool", "-importcert", "-noprompt", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", pass, "-alias", "class1", "-file", "class1.pem");
        try (OutputStream out = Files.newOutputStream(dir.resolve("app.jar"));
             JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("hello.txt"));
            jar.write("signed by a member of the web of trust\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Tools.ok(dir, "jarsigner", "-keystore", "signer.p12", "-storepass", pass, "app.jar", "signer");
        String verified = Tools.ok(dir, "jarsigner", "-verify", "-strict", "-keystore", "trust.p12", "-storepass", pass,
                "app.jar");
        assertThat(verified).contains("jar verified.");

        String email = LedgerGraphQlTest.uniqueEmail();
        String plain = helper().registerAndVerify(email, "1970-07-07");
        assertThat(refusal(input(plain, "CODE_SIGNING", csr("cs")))).isEqualTo("KIND_NOT_PERMITTED");
    }

    @Test
    void a_voiding_recorded_just_before_a_request_wins_and_the_ruling_revokes_what_lost_its_backing() throws Exception {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String support = helper().memberId(f[0]);
        String arbitrator = helper().memberId(f[2]);
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1966-06-06");
        assure(f[0], email, "1966-06-06");
        String voided = assure(f[1], email, "1966-06-06");
        Map<String, Object> cert = issued(input(member, "CLIENT", csr("named"), "root", "CLASS3", "nameVariant",
                "FULL"), "named.pem");

        Map<?, ?> role = graphQl.document("mutation($m: ID!, $by: ID!) { appointRole(input: {memberId: $m, role: ARBITRATOR,"
                        + " appointedBy: $by, reason: \"x\"}) { error { code } } }")
                .variable("m", arbitrator).variable("by", support).execute().path("appointRole").entity(Map.class).get();
        assertThat(role.get("error") == null || "ROLE_ALREADY_HELD".equals(((Map<?, ?>) role.get("error")).get("code")))
                .isTrue();
        String caseId = graphQl.document("mutation($c: ID!) { fileCase(input: {claimantId: $c, relief: \"void it\"}) {"
                        + " case { id } } }").variable("c", member).execute().path("fileCase.case.id").entity(String.class).get();
        graphQl.document("mutation($k: ID!, $a: ID!, $by: ID!) { assignArbitrator(input: {caseId: $k, arbitratorId: $a,"
                        + " assignedBy: $by}) { error { code } } }")
                .variable("k", caseId).variable("a", arbitrator).variable("by", support).execute()
                .path("assignArbitrator.error").valueIsNull();
        as(f[2]).document("mutation($k: ID!, $a: ID!, $x: ID!) { voidAssurance(input: {caseId: $k, arbitratorId: $a,"
                        + " assuranceId: $x, reason: \"forged\"}) { error { code } } }")
                .variable("k", caseId).variable("a", arbitrator).variable("x", voided).execute()
                .path("voidAssurance.error").valueIsNull();
        // At once: the request must see the voiding (35 points left: no Class 3, no name).
        assertThat(refusal(input(member, "CLIENT", csr("late"), "root", "CLASS3"))).isEqualTo("CLASS3_NOT_PERMITTED");

        as(f[2]).document("mutation($k: ID!, $a: ID!, $m: ID!) { revokeCertificates(input: {caseId: $k, arbitratorId: $a,"
                        + " memberId: $m, reason: \"the assurance behind it was void\"}) { error { code } } }")
                .variable("k", caseId).variable("a", arbitrator).variable("m", member).execute()
                .path("revokeCertificates.error").valueIsNull();
        long deadline = System.currentTimeMillis() + 10_000;
        String status;
        do {
            Thread.sleep(50);
            status = graphQl.document("query($s: String!) { certificate(serial: $s) { status revocationReason } }")
                    .variable("s", cert.get("serial")).execute().path("certificate.status").entity(String.class).get();
        } while (!status.equals("REVOKED") && System.currentTimeMillis() < deadline);
        assertThat(status).isEqualTo("REVOKED");
        graphQl.document("query($s: String!) { certificate(serial: $s) { revocationReason } }")
                .variable("s", cert.get("serial")).execute().path("certificate.revocationReason").entity(String.class)
                .isEqualTo("PRIVILEGE_WITHDRAWN");
    }

    @Autowired
    org.axonframework.commandhandling.gateway.CommandGateway commands;

    @Autowired
    com.mongodb.client.MongoDatabase db;

    /** ledgerStats' certificate counts, taken from lists kept for them, against reading the certificates. */
    void statsCountWhatTheStoreHolds() {
        long issued = db.getCollection("certificates").countDocuments(new org.bson.Document("pem", new org.bson.Document("$ne", null)));
        long revoked = db.getCollection("certificates").countDocuments(new org.bson.Document("revokedAt", new org.bson.Document("$ne", null)));
        assertThat(revoked).isPositive();
        graphQl.document("{ ledgerStats { certificates revokedCertificates } }").execute()
                .path("ledgerStats.certificates").entity(Long.class).isEqualTo(issued)
                .path("ledgerStats.revokedCertificates").entity(Long.class).isEqualTo(revoked);
    }

    @Autowired
    org.trustledger.issuance.MemberRights rights;

    @Autowired
    org.axonframework.config.EventProcessingConfiguration processing;

    /**
     * The rights check answers from the member's view only when no ledger event follows the view's last
     * one: with the members projection stopped and an event recorded, it waits and says the read model
     * lags instead of answering from the view that has not seen it.
     */
    @Test
    void the_rights_check_never_answers_from_a_view_behind_the_ledger() {
        String support = helper().memberId(LedgerGraphQlTest.FOUNDERS[0]);
        String member = helper().registerAndVerify(LedgerGraphQlTest.uniqueEmail(), "1971-07-07");
        long seen = rights.current(member).lastSequence();
        org.axonframework.eventhandling.EventProcessor members = processing.eventProcessor("members").orElseThrow();
        members.shutDown();
        try {
            commands.sendAndWait(new org.trustledger.ledger.api.SetCodeSigningCommand(member, true, support, "test"));
            assertThatThrownBy(() -> rights.current(member)).isInstanceOf(org.trustledger.query.ReadModelLagging.class);
        } finally {
            members.start();
        }
        org.trustledger.query.MemberView now = rights.current(member);
        assertThat(now.lastSequence()).isGreaterThan(seen);
    }

    /**
     * A serial reserved but never signed (as after a crash between the two steps) is listed as RESERVED,
     * OCSP calls it unknown, and support can revoke it: it goes on its shard's CRL, and it can never be
     * signed afterwards.
     */
    @Test
    void a_serial_reserved_but_never_signed_can_be_revoked_onto_the_crl() throws Exception {
        caFiles();
        String member = helper().registerAndVerify(LedgerGraphQlTest.uniqueEmail(), "1979-09-09");
        String requestId = java.util.UUID.randomUUID().toString();
        commands.sendAndWait(new org.trustledger.issuance.api.RequestCertificateCommand(requestId, member,
                org.trustledger.issuance.api.CertificateKind.CLIENT, null, Workload.publicKey(), null, null, null, null,
                null, null, null, member)); // reserved; the signing step never comes
        String serial = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (serial == null && System.currentTimeMillis() < deadline) {
            List<Map<String, Object>> certs = graphQl.document("query($m: ID!) { member(id: $m) { certificates { serial status } } }")
                    .variable("m", member).execute().path("member.certificates").entityList(Map.class).get()
                    .stream().map(m -> (Map<String, Object>) m).toList();
            serial = certs.isEmpty() ? null : (String) certs.get(0).get("serial");
            if (serial != null) {
                assertThat(certs.get(0).get("status")).isEqualTo("RESERVED");
            }
            Thread.sleep(50);
        }
        assertThat(serial).as("the reservation is listed").isNotNull();
        Map<?, ?> revoked = (Map<?, ?>) revoke(serial, "PRIVILEGE_WITHDRAWN", helper().memberId(LedgerGraphQlTest.FOUNDERS[0]))
                .get("certificate");
        assertThat(revoked.get("status")).isEqualTo("REVOKED");
        Files.write(dir.resolve("reserved.crl"), http(BASE + "/crl/class1-" + CrlShards.of(serial) + ".crl"));
        assertThat(Tools.ok(dir, "openssl", "crl", "-inform", "DER", "-in", "reserved.crl", "-noout", "-text",
                "-CAfile", "class1.pem")).contains("verify OK", "Serial Number: " + opensslSerial(serial), "Privilege Withdrawn");
        try {
            commands.sendAndWait(new org.trustledger.issuance.api.SignCertificateCommand(requestId));
            throw new AssertionError("a revoked reservation was signed");
        } catch (org.trustledger.issuance.api.IssuanceRefusal e) {
            assertThat(e.code()).isEqualTo(org.trustledger.issuance.api.IssuanceRefusalCode.ALREADY_REVOKED);
        }
    }

    @Autowired
    org.trustledger.server.issuance.ExpiryWarnings expiryWarnings;


    @Test
    void an_assured_organisations_admin_gets_organisation_certificates_with_its_subject() throws Exception {
        caFiles();
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String alice = helper().memberId(f[0]);
        String bob = helper().memberId(f[1]);
        String carol = helper().memberId(f[2]);
        Map<?, ?> role = graphQl.document("mutation($m: ID!) { appointRole(input: {memberId: $m, role: ORGANISATION_ASSURER,"
                        + " appointedBy: $m, reason: \"organisation assurance for the region\"}) { error { code } } }")
                .variable("m", alice).execute().path("appointRole").entity(Map.class).get();
        assertThat(role.get("error") == null || "ROLE_ALREADY_HELD".equals(((Map<?, ?>) role.get("error")).get("code")))
                .as(String.valueOf(role)).isTrue();
        String assure = "mutation($in: AssureOrganisationInput!) { assureOrganisation(input: $in) { organisation { id name"
                + " country admins { id } assuredBy { id } } error { code message } } }";
        Map<String, Object> widgets = Map.of("assurerId", alice, "name", "Example Widgets Ltd", "country", "au",
                "state", "NSW", "locality", "Sydney", "adminIds", List.of(bob));
        ArbitrationGraphQlTest.forbidden(as(f[1]).document(assure).variable("in", new java.util.HashMap<>(widgets) {{
            put("assurerId", bob); }}).execute());
        graphQl.document(assure).variable("in", new java.util.HashMap<>(widgets) {{ put("country", "XX"); }}).execute()
                .path("assureOrganisation.error.code").entity(String.class).isEqualTo("ORGANISATION_DETAILS_INVALID");
        String plain = helper().registerAndVerify(LedgerGraphQlTest.uniqueEmail(), "1991-01-01");
        graphQl.document(assure).variable("in", new java.util.HashMap<>(widgets) {{ put("adminIds", List.of(plain)); }})
                .execute().path("assureOrganisation.error.code").entity(String.class)
                .isEqualTo("ORGANISATION_ADMIN_NOT_ASSURER");
        String org = graphQl.document(assure).variable("in", widgets).execute()
                .path("assureOrganisation.error").valueIsNull()
                .path("assureOrganisation.organisation.country").entity(String.class).isEqualTo("AU")
                .path("assureOrganisation.organisation.admins[0].id").entity(String.class).isEqualTo(bob)
                .path("assureOrganisation.organisation.id").entity(String.class).get();

        String domain = "widgets-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        String addDomain = "mutation($o: ID!, $d: String!, $by: ID!) { addOrganisationDomain(organisationId: $o, domain: $d,"
                + " approver: \"admin\", requestedBy: $by) { error { code } } }";
        as(f[2]).document(addDomain).variable("o", org).variable("d", domain).variable("by", carol).execute()
                .path("addOrganisationDomain.error.code").entity(String.class).isEqualTo("NOT_AUTHORISED");
        as(f[1]).document(addDomain).variable("o", org).variable("d", domain).variable("by", bob).execute()
                .path("addOrganisationDomain.error").valueIsNull();
        graphQl.document("mutation($t: String!) { verifyOrganisationDomain(token: $t) { organisation { verifiedDomains }"
                        + " error { code } } }").variable("t", mailedToken("admin@" + domain)).execute()
                .path("verifyOrganisationDomain.organisation.verifiedDomains").entityList(String.class)
                .containsExactly(domain);

        Map<String, Object> server = issued(input(bob, "ORGANISATION_SERVER", csr("org-server", "-newkey", "rsa:2048"),
                "organisationId", org, "organisationalUnit", "IT", "root", "CLASS3",
                "names", List.of("www." + domain, "*." + domain)), "org-server.pem");
        assertThat((List<String>) server.get("names")).containsExactly("dns:www." + domain, "dns:*." + domain);
        assertThat(verify("-CAfile", "class1.pem", "-untrusted", "class3.pem", "-purpose", "sslserver", "org-server.pem"))
                .contains(": OK");
        assertThat(Tools.ok(dir, "openssl", "x509", "-in", "org-server.pem", "-noout", "-subject", "-dates"))
                .contains("C = AU", "ST = NSW", "L = Sydney", "O = Example Widgets Ltd", "OU = IT", "CN = www." + domain);
        Map<String, Object> client = issued(input(bob, "ORGANISATION_CLIENT", csr("org-client"), "organisationId", org,
                "names", List.of("staff@" + domain)), "org-client.pem");
        assertThat(java.time.Duration.between(java.time.Instant.parse((String) client.get("notBefore")),
                java.time.Instant.parse((String) client.get("notAfter"))).toDays()).isEqualTo(365);
        assertThat(verify("-CAfile", "class1.pem", "-purpose", "smimesign", "org-client.pem")).contains(": OK");
        assertThat(refusal(input(bob, "ORGANISATION_CLIENT", csr("org-x"), "organisationId", org,
                "names", List.of("staff@elsewhere.example")))).isEqualTo("EMAIL_NOT_VERIFIED");
        assertThat(refusal(input(carol, "ORGANISATION_SERVER", csr("org-y"), "organisationId", org,
                "names", List.of("www." + domain)))).isEqualTo("NOT_ORGANISATION_ADMIN");
        String change = "mutation($o: ID!, $m: ID!, $a: Boolean!, $by: ID!) { changeOrganisationAdmin(organisationId: $o,"
                + " memberId: $m, admin: $a, changedBy: $by) { organisation { admins { id } } error { code } } }";
        graphQl.document(change).variable("o", org).variable("m", bob).variable("a", false).variable("by", alice)
                .execute().path("changeOrganisationAdmin.error.code").entity(String.class)
                .isEqualTo("ORGANISATION_DETAILS_INVALID");
        ArbitrationGraphQlTest.forbidden(as(f[1]).document(change).variable("o", org).variable("m", carol)
                .variable("a", true).variable("by", bob).execute());
        graphQl.document(change).variable("o", org).variable("m", carol).variable("a", true).variable("by", alice)
                .execute().path("changeOrganisationAdmin.organisation.admins[*].id").entityList(String.class)
                .contains(bob, carol).hasSize(2);
        issued(input(carol, "ORGANISATION_SERVER", csr("org-carol"), "organisationId", org,
                "names", List.of("api." + domain)), "org-carol.pem");
        assertThat(refusal(input(bob, "ORGANISATION_SERVER", csr("org-z"), "organisationId", org, "validityDays", 731,
                "names", List.of("www." + domain)))).isEqualTo("VALIDITY_TOO_LONG");
        assertThat(refusal(input(bob, "ORGANISATION_SERVER", csr("org-w"), "organisationId", "nope",
                "names", List.of("www." + domain)))).isEqualTo("ORGANISATION_NOT_FOUND");
    }

    @Test
    void owners_are_warned_of_expiry_45_30_15_and_1_days_ahead_once_each() throws Exception {
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1992-02-02");
        Map<String, Object> cert = issued(input(member, "CLIENT", csr("expiring"), "validityDays", 100), "exp.pem");
        java.time.Instant notAfter = java.time.Instant.parse((String) cert.get("notAfter"));
        assertThat(expiryWarnings.warnAsOf(notAfter.minus(java.time.Duration.ofDays(50)))).isZero();
        for (int days : new int[] {45, 30, 15, 1}) {
            java.time.Instant at = notAfter.minus(java.time.Duration.ofDays(days)).plusSeconds(60);
            assertThat(expiryWarnings.warnAsOf(at)).as(days + " days ahead").isGreaterThanOrEqualTo(1);
            assertThat(expiryWarnings.warnAsOf(at)).as("again at " + days).isZero();
        }
        List<String> subjects = graphQl.document("query($to: String!) { devOutbox(to: $to) { subject } }")
                .variable("to", email).execute().path("devOutbox[*].subject").entityList(String.class).get();
        assertThat(subjects).contains("Your certificate expires in less than 45 days",
                "Your certificate expires in less than 30 days", "Your certificate expires in less than 15 days",
                "Your certificate expires in less than 1 day");
    }

    @Test
    void gnupg_sees_the_cas_certification_on_the_verified_user_ids_only() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Tools.run(dir, "gpg", "--version").ok(), "gpg installed");
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1984-04-04");
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String[] gpg = {"gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode", "loopback", "--passphrase", ""};
        Tools.ok(dir, concat(gpg, "--quick-gen-key", "Ada Lovelace <" + email + ">", "ed25519", "sign", "1y"));
        Tools.ok(dir, concat(gpg, "--quick-add-uid", "Ada Lovelace <" + email + ">", "Mallory <mallory@evil.example>"));
        String key = Tools.ok(dir, concat(gpg, "--armor", "--export", email));
        String mutation = "mutation($m: ID!, $k: String!) { signOpenPgpKey(memberId: $m, publicKey: $k) { signedKey {"
                + " armored fingerprint signedUserIds droppedUserIds { userId reason } certificationExpiresAt }"
                + " error { code message } } }";
        ids.asId(member).document(mutation).variable("m", member).variable("k", key).execute()
                .path("signOpenPgpKey.error.code").entity(String.class).isEqualTo("OPENPGP_NOT_PERMITTED");
        assure(LedgerGraphQlTest.FOUNDERS[0], email, "1984-04-04");
        assure(LedgerGraphQlTest.FOUNDERS[1], email, "1984-04-04");
        ids.asId(member).document(mutation).variable("m", member).variable("k", "not a key").execute()
                .path("signOpenPgpKey.error.code").entity(String.class).isEqualTo("OPENPGP_KEY_INVALID");
        Map<?, ?> signed = ids.asId(member).document(mutation).variable("m", member).variable("k", key).execute()
                .path("signOpenPgpKey.signedKey").entity(Map.class).get();
        assertThat((List<String>) signed.get("signedUserIds")).containsExactly("Ada Lovelace <" + email + ">");
        Files.writeString(dir.resolve("signed.asc"), (String) signed.get("armored"));
        String caKey = new String(http(BASE + "/ca/openpgp.asc"), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("ca.asc"), caKey);
        Path fresh = Files.createDirectories(dir.resolve("gnupg-relying-party"));
        Files.setPosixFilePermissions(fresh, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String[] relying = {"gpg", "--homedir", fresh.toString(), "--batch"};
        Tools.ok(dir, concat(relying, "--import", "ca.asc"));
        Tools.ok(dir, concat(relying, "--import", "signed.asc"));
        String sigs = Tools.ok(dir, concat(relying, "--with-colons", "--check-sigs", (String) signed.get("fingerprint")));
        assertThat(sigs).contains("uid:").doesNotContain("Mallory");
        long goodCaSigs = sigs.lines().filter(l -> l.startsWith("sig:!:") && l.contains("OpenPGP CA")).count();
        assertThat(goodCaSigs).as(sigs).isEqualTo(1);
        Tools.run(dir, "gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent");
        Tools.run(dir, "gpgconf", "--homedir", fresh.toString(), "--kill", "gpg-agent");
    }

    static String[] concat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void hostile_and_malformed_keys_are_refused_with_a_reason_and_only_the_refusal_is_recorded() throws Exception {
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1995-03-03");
        String good = csr("good");
        byte[] der = java.util.Base64.getMimeDecoder().decode(good.replaceAll("-----[A-Z ]+-----", ""));
        byte[] tampered = der.clone();
        tampered[tampered.length - 5] ^= 0x01; // inside the signature
        byte[] subject = der.clone();
        int at = new String(der, StandardCharsets.ISO_8859_1).indexOf("ignored by the CA");
        subject[at] ^= 0x01; // a letter of the subject, inside the signed request info
        Tools.ok(dir, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-pkeyopt",
                "rsa_keygen_pubexp:3", "-out", "e3.key");
        Tools.ok(dir, "openssl", "ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", "k1.key");
        Tools.ok(dir, "openssl", "pkey", "-in", "k1.key", "-pubout", "-out", "k1.pub");
        Tools.ok(dir, "openssl", "pkey", "-in", "good.key", "-pubout", "-out", "good.pub");
        String goodPub = Files.readString(dir.resolve("good.pub"));

        Map<String, Map<String, Object>> corpus = new java.util.LinkedHashMap<>();
        corpus.put("CSR_MALFORMED", input(member, "CLIENT", "this is not a CSR"));
        corpus.put("CSR_MALFORMED:certificate", input(member, "CLIENT", Files.readString(dir.resolve("good.pub"))
                .replace("PUBLIC KEY", "CERTIFICATE REQUEST").replace("MF", "AA")));
        corpus.put("CSR_MALFORMED:truncated", input(member, "CLIENT", good.substring(0, good.length() / 2)
                + "\n-----END CERTIFICATE REQUEST-----\n"));
        corpus.put("CSR_MALFORMED:two", input(member, "CLIENT", good + good));
        corpus.put("CSR_MALFORMED:wrong type", input(member, "CLIENT", good.replace("CERTIFICATE REQUEST", "X509 CRL")));
        corpus.put("CSR_SIGNATURE_INVALID", input(member, "CLIENT", pem("CERTIFICATE REQUEST", tampered)));
        corpus.put("CSR_SIGNATURE_INVALID:info", input(member, "CLIENT", pem("CERTIFICATE REQUEST", subject)));
        corpus.put("KEY_TOO_WEAK", input(member, "CLIENT", csr("rsa1024", "-newkey", "rsa:1024")));
        corpus.put("RSA_EXPONENT_INVALID", input(member, "CLIENT", csr("e3", "-key", "e3.key")));
        corpus.put("CURVE_UNSUPPORTED", input(member, "CLIENT", csr("k1", "-key", "k1.key")));
        corpus.put("CURVE_UNSUPPORTED:p521", input(member, "CLIENT", csr("p521", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-521")));
        corpus.put("KEY_ALGORITHM_UNSUPPORTED", input(member, "CLIENT", csr("ed", "-newkey", "ed25519")));
        corpus.put("SIGNATURE_HASH_UNSUPPORTED", input(member, "CLIENT", csr("sha1", "-newkey", "rsa:2048", "-sha1")));
        corpus.put("CURVE_UNSUPPORTED:public key", input(member, "CLIENT", null, "publicKey",
                Files.readString(dir.resolve("k1.pub"))));
        corpus.put("CSR_MALFORMED:garbage public key", input(member, "CLIENT", null, "publicKey",
                "-----BEGIN PUBLIC KEY-----\nAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PUBLIC KEY-----\n"));
        corpus.put("INPUT_TOO_LARGE", input(member, "CLIENT", "-----BEGIN CERTIFICATE REQUEST-----\n"
                + "QUFB\n".repeat(5000) + "-----END CERTIFICATE REQUEST-----\n"));
        // Bare public keys built field by field: what no key generator would make.
        java.math.BigInteger modulus = new java.math.BigInteger(2048, new java.util.Random(7)).setBit(2047).setBit(0);
        corpus.put("RSA_EXPONENT_INVALID:2^256+1", input(member, "CLIENT", null, "publicKey",
                rsaPublicKey(modulus, java.math.BigInteger.ONE.shiftLeft(256).add(java.math.BigInteger.ONE))));
        corpus.put("RSA_EXPONENT_INVALID:even", input(member, "CLIENT", null, "publicKey",
                rsaPublicKey(modulus, java.math.BigInteger.valueOf(65538))));
        corpus.put("CSR_MALFORMED:even modulus", input(member, "CLIENT", null, "publicKey",
                rsaPublicKey(modulus.clearBit(0), java.math.BigInteger.valueOf(65537))));
        corpus.put("KEY_ALGORITHM_UNSUPPORTED:rsa 16400 bits", input(member, "CLIENT", null, "publicKey",
                rsaPublicKey(java.math.BigInteger.ONE.shiftLeft(16399).setBit(0), java.math.BigInteger.valueOf(65537))));
        byte[] point = new byte[65];
        point[0] = 4;
        point[64] = 1; // (0, 1) is not on P-256
        corpus.put("CSR_MALFORMED:point not on the curve", input(member, "CLIENT", null, "publicKey",
                pem("PUBLIC KEY", new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey,
                                org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1), point).getEncoded())));
        corpus.put("KEY_MISSING", input(member, "CLIENT", good, "publicKey", goodPub));
        corpus.put("KEY_MISSING:none", input(member, "CLIENT", null));
        corpus.put("EMAIL_NOT_VERIFIED", input(member, "CLIENT", good, "names", List.of("someone@else.example")));
        corpus.put("VALIDITY_INVALID", input(member, "CLIENT", good, "validityDays", 0));
        corpus.put("SIGNATURE_HASH_UNSUPPORTED:md5", input(member, "CLIENT", good, "signatureHash", "MD5"));
        corpus.put("KIND_NOT_PERMITTED", input(member, "SERVER", good, "names", List.of("www.example.org")));
        corpus.put("ORGANISATION_NOT_FOUND", input(member, "ORGANISATION_CLIENT", good));
        corpus.put("CLASS3_NOT_PERMITTED", input(member, "CLIENT", good, "root", "CLASS3"));
        for (Map.Entry<String, Map<String, Object>> c : corpus.entrySet()) {
            Map<String, Object> payload = request(c.getValue());
            Map<?, ?> error = (Map<?, ?>) payload.get("error");
            assertThat(error).as(c.getKey()).isNotNull();
            assertThat(error.get("code")).as(c.getKey() + ": " + error.get("message")).isEqualTo(c.getKey().split(":")[0]);
            assertThat((String) error.get("message")).as(c.getKey()).isNotBlank();
            assertThat(payload.get("certificate")).isNull();
            graphQl.document("query($id: ID!) { certificateRequest(id: $id) { outcome certificate { serial } error { code } } }")
                    .variable("id", payload.get("requestId")).execute()
                    .path("certificateRequest.outcome").entity(String.class).isEqualTo("REFUSED")
                    .path("certificateRequest.certificate").valueIsNull();
        }
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(20);
        graphQl.document("query($m: ID!) { member(id: $m) { certificates { serial } } }").variable("m", member)
                .execute().path("member.certificates").entityList(Object.class).hasSize(0);
    }

    static String rsaPublicKey(java.math.BigInteger modulus, java.math.BigInteger exponent) throws java.io.IOException {
        return pem("PUBLIC KEY", new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption, org.bouncycastle.asn1.DERNull.INSTANCE),
                new org.bouncycastle.asn1.pkcs.RSAPublicKey(modulus, exponent)).getEncoded());
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der) + "\n-----END "
                + type + "-----\n";
    }

    static X509Certificate x509(Path file) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    /** Java's own PKIX validation to the Class 1 root, revocation checked through the certificates' OCSP URLs. */
    void pkix(X509Certificate leaf, X509Certificate intermediate) throws Exception {
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(x509(dir.resolve("class1.pem")), null)));
        PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
        checker.setOptions(Set.of(PKIXRevocationChecker.Option.NO_FALLBACK));
        params.addCertPathChecker(checker);
        validator.validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf, intermediate)), params);
    }

    static byte[] http(String url) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    static void waitForPort(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("openssl s_server did not listen on " + port);
    }
}
