package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random and adversarial input thrown at every mutation that takes input (jqwik), as a logged-in
 * support member who is also an Assurer, so the access rules let most calls through to the ledger.
 * Every answer must be a clear error (a GraphQL error with a code and a message, or a payload refusal
 * with a code), never a 500 or an INTERNAL error, and a refused call records nothing but, where the
 * ledger keeps them on purpose, the refusal itself.
 */
class MutationFuzzTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Events the ledger records for a refused attempt, by design. */
    static final List<String> REFUSAL_EVENTS = List.of("org.trustledger.ledger.api.AssuranceRefused",
            "org.trustledger.issuance.api.CertificateRequestRefused", "org.trustledger.ledger.api.RecoveryAttemptFailed",
            "org.trustledger.ledger.api.RecoveryLocked", "org.trustledger.ledger.api.RecoveryIdentificationFailed",
            "org.trustledger.ledger.api.RecoveryHeld", "org.trustledger.ledger.api.RecoveryAttemptRefused");
    static ConfigurableApplicationContext app;
    static int port;
    static String token;
    static String me;
    static MongoDatabase db;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeContainer
    static void start() {
        TrustLedgerApplication.quietAxon();
        app = new SpringApplicationBuilder(TrustLedgerApplication.class).run(Args.of(Map.of("server.port", "0",
                "trustledger.embedded.storage", "memory", "trustledger.passphrase-hash-cost", "4",
                "trustledger.genesis.file", "src/test/resources/genesis-test.json",
                "trustledger.security.failures-per-address", "100000",
                "trustledger.security.identification-failures-per-member", "100000",
                "trustledger.security.identification-failures-per-address", "100000")));
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
        token = Identities.token(port, "alice@founders.example", "alice founding passphrase");
        db = app.getBean(MongoDatabase.class);
    }

    @AfterContainer
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** One mutation call: a valid document whose variables carry the hostile values. */
    record Call(String name, String document, Map<String, Object> variables) {
        @Override
        public String toString() {
            String v = variables.toString();
            return name + " " + (v.length() > 300 ? v.substring(0, 300) + "..." : v);
        }
    }

    @Property(tries = 300)
    void every_mutation_answers_hostile_input_with_a_clear_error_and_records_nothing(@ForAll("calls") Call call)
            throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (me == null && System.currentTimeMillis() < deadline) { // genesis reaches the read model shortly after start
            me = JSON.readTree(post("{ me { id } }", Map.of()).body()).path("data").path("me").path("id").asString(null);
            if (me == null) {
                Thread.sleep(50);
            }
        }
        assertThat(me).as("the fuzzing member's id (actor fields must name the caller to reach the ledger)").isNotNull();
        long before = recordedEvents();
        HttpResponse<String> response = post(call.document(), withMe(call.variables()));
        assertThat(response.statusCode()).as(call + " -> " + response.body()).isIn(200, 413);
        JsonNode body = JSON.readTree(response.body());
        List<String> problems = new ArrayList<>();
        boolean failed = response.statusCode() != 200;
        for (JsonNode e : body.path("errors")) {
            failed = true;
            String code = e.path("extensions").path("code").asString("");
            if (code.isEmpty() || code.equals("INTERNAL") || e.path("message").asString("").isBlank()) {
                problems.add("unclear error " + e);
            }
        }
        for (JsonNode payload : body.path("data")) {
            JsonNode error = payload.path("error");
            if (error.isObject()) {
                failed = true;
                if (error.path("code").asString("").isEmpty() || error.path("message").asString("").isBlank()) {
                    problems.add("unclear refusal " + error);
                }
            }
        }
        assertThat(problems).as(call.toString()).isEmpty();
        Statistics.label("outcome").collect(failed ? "refused" : "accepted");
        Statistics.label("answered by").collect(body.path("errors").isEmpty() ? "the ledger (payload refusal or success)"
                : "the API layer: " + body.path("errors").get(0).path("extensions").path("code").asString(""));
        if (failed) {
            assertThat(recordedEvents()).as("a refused " + call.name() + " records nothing but its refusal").isEqualTo(before);
        }
    }

    /**
     * Every mutation of the schema, found by reading the schema itself (so a mutation added later is fuzzed
     * without anyone remembering to add it here), with every argument generated from its declared type:
     * hostile strings, the caller's own id, out-of-range numbers, impossible dates, any enum value, nested
     * inputs. The same checks as above apply to each answer.
     */
    @Property(tries = 400)
    void every_mutation_in_the_schema_answers_generated_input_clearly(@ForAll("schemaCalls") Call call) throws Exception {
        every_mutation_answers_hostile_input_with_a_clear_error_and_records_nothing(call);
    }

    @Provide
    Arbitrary<Call> schemaCalls() {
        SchemaFuzz schema = SchemaFuzz.load();
        List<String> strings = hostile().sampleStream().limit(400).toList();
        return Arbitraries.of(schema.mutations()).flatMap(field -> Arbitraries.randomValue(random ->
                schema.call(field, random, strings)));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> withMe(Map<String, Object> variables) {
        return (Map<String, Object>) withMe((Object) variables);
    }

    /** "$ME" replaced by the caller's id, at any depth of nested inputs and lists. */
    @SuppressWarnings("unchecked")
    Object withMe(Object value) {
        if ("$ME".equals(value)) {
            return me;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> v = new HashMap<>();
            ((Map<String, Object>) map).forEach((k, x) -> v.put(k, withMe(x)));
            return v;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::withMe).toList();
        }
        return value;
    }

    static long recordedEvents() {
        return db.getCollection("events").countDocuments(Filters.and(Filters.exists("payloadType"),
                Filters.nin("payloadType", REFUSAL_EVENTS)));
    }

    HttpResponse<String> post(String document, Map<String, Object> variables) throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        body.put("variables", variables);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- generators -----------------------------------------------------------------------------------

    static Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(40),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(3_990).ofMaxLength(4_100),
                Arbitraries.of("", " ", "\u0000", "\t\n\r", "'; DROP TABLE members; --", "{\"$gt\": \"\"}", "$where",
                        "../../../etc/passwd", "<script>alert(1)</script>", "a@b", "@example.org", "x@-bad-.org",
                        "x".repeat(300) + "@example.org", "root", "*.example.org", "192.168.0.1", "example",
                        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----",
                        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----",
                        "1e999", "null", "\u202eevil", "\uFEFF", "🙂🙃", "alice@founders.example", "nobody",
                        "a20260101.1", "0A1B", "00:ff:ee", "tl_" + "A".repeat(43)));
    }

    static Arbitrary<Object> maybe(Arbitrary<?> a) {
        return Arbitraries.oneOf(a.map(x -> (Object) x), Arbitraries.just(null));
    }

    static Arbitrary<String> date() {
        return Arbitraries.oneOf(Arbitraries.of("1900-01-01", "2999-12-31", "2026-02-30", "0000-00-00", "today",
                        "1990-13-01", ""),
                Arbitraries.integers().between(1, 3000).map(y -> String.format("%04d-06-15", y)));
    }

    static Arbitrary<Integer> number() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.of(0, -1, 1, 10, 35, 36, 100, 101, 731,
                Integer.MAX_VALUE, Integer.MIN_VALUE));
    }

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<String> s = hostile();
        return Arbitraries.oneOf(
                Combinators.combine(s, s, date(), s, s, Arbitraries.integers().between(0, 6), s).as(
                        (given, family, dob, email, pass, n, answer) -> {
                            List<Map<String, Object>> questions = new ArrayList<>();
                            for (int i = 0; i < n; i++) {
                                questions.add(Map.of("question", given + i, "answer", answer));
                            }
                            return new Call("registerMember", "mutation($i: RegisterMemberInput!) { registerMember("
                                    + "input: $i) { member { id } error { code message } } }", Map.of("i", Map.of(
                                    "givenNames", given, "familyName", family, "dateOfBirth", dob, "email", email,
                                    "passphrase", pass, "securityQuestions", questions)));
                        }),
                s.map(t -> new Call("verifyEmail", "mutation($t: String!) { verifyEmail(token: $t) { error { code message } } }",
                        Map.of("t", t))),
                s.map(t -> new Call("verifyDomain", "mutation($t: String!) { verifyDomain(token: $t) { error { code message } } }",
                        Map.of("t", t))),
                s.map(t -> new Call("verifyOrganisationDomain", "mutation($t: String!) { verifyOrganisationDomain("
                        + "token: $t) { error { code message } } }", Map.of("t", t))),
                s.map(e -> new Call("addEmail", "mutation($i: AddEmailInput!) { addEmail(input: $i) { error { code message } } }",
                        Map.of("i", Map.of("memberId", "$ME", "email", e)))),
                Combinators.combine(s, date(), date(), s, number(), s).as((email, dob, date, loc, pts, doc) ->
                        new Call("recordAssurance", "mutation($i: RecordAssuranceInput!) { recordAssurance(input: $i) {"
                                + " error { code message } } }", Map.of("i", Map.of("assurerId", "$ME", "assureeEmail", email,
                                "assureeDateOfBirth", dob, "date", date, "location", loc, "points", pts,
                                "documents", List.of(doc), "assureeAgreedToCommunityAgreement", true,
                                "assurerSawOriginalDocuments", true)))),
                Combinators.combine(Arbitraries.of("CLIENT", "SERVER", "CODE_SIGNING", "ORGANISATION_CLIENT",
                        "ORGANISATION_SERVER"), s, s, number(), s).as((kind, csr, name, days, hash) ->
                        new Call("requestCertificate", "mutation($i: RequestCertificateInput!) { requestCertificate("
                                + "input: $i) { error { code message } } }", Map.of("i", Map.of("memberId", "$ME",
                                "kind", kind, "csr", csr, "names", List.of(name), "validityDays", days,
                                "signatureHash", hash)))),
                Combinators.combine(s, Arbitraries.of("UNSPECIFIED", "KEY_COMPROMISE", "PRIVILEGE_WITHDRAWN")).as(
                        (serial, reason) -> new Call("revokeCertificate", "mutation($s: String!, $r: RevocationReason!) {"
                                + " revokeCertificate(serial: $s, reason: $r) { error { code message } } }",
                                Map.of("s", serial, "r", reason))),
                Combinators.combine(s, s).as((domain, approver) -> new Call("addDomain", "mutation($m: ID!, $d: String!,"
                        + " $a: String!) { addDomain(memberId: $m, domain: $d, approver: $a) { error { code message } } }",
                        Map.of("m", "$ME", "d", domain, "a", approver))),
                s.map(key -> new Call("signOpenPgpKey", "mutation($m: ID!, $k: String!) { signOpenPgpKey(memberId: $m,"
                        + " publicKey: $k) { error { code message } } }", Map.of("m", "$ME", "k", key))),
                Combinators.combine(s, date()).as((email, dob) -> new Call("startPassphraseRecovery", "mutation($e:"
                        + " String!, $d: Date!) { startPassphraseRecovery(email: $e, dateOfBirth: $d) { error { code message } } }",
                        Map.of("e", email, "d", dob))),
                Combinators.combine(s, s, s).as((id, answer, pass) -> new Call("completePassphraseRecovery",
                        "mutation($r: ID!, $a: [String!]!, $p: String!) { completePassphraseRecovery(recoveryId: $r,"
                                + " answers: $a, newPassphrase: $p) { error { code message } } }",
                        Map.of("r", id, "a", List.of(answer, answer, answer), "p", pass))),
                Combinators.combine(s, Arbitraries.of("TTP_ADMIN", "ORGANISATION_ASSURER", "ARBITRATOR", "SUPPORT"), s)
                        .as((member, role, reason) -> new Call("appointRole", "mutation($i: AppointRoleInput!) {"
                                + " appointRole(input: $i) { error { code message } } }", Map.of("i", Map.of("memberId",
                                member, "role", role, "appointedBy", "$ME", "reason", reason)))),
                Combinators.combine(s, s).as((member, reason) -> new Call("setCodeSigning", "mutation($i:"
                        + " SetCodeSigningInput!) { setCodeSigning(input: $i) { error { code message } } }",
                        Map.of("i", Map.of("memberId", member, "enabled", true, "setBy", "$ME", "reason", reason)))),
                Combinators.combine(s, s).as((member, guardian) -> new Call("recordParentalConsent", "mutation($i:"
                        + " RecordParentalConsentInput!) { recordParentalConsent(input: $i) { error { code message } } }",
                        Map.of("i", Map.of("memberId", member, "guardianName", guardian, "recordedBy", "$ME")))),
                Combinators.combine(s, s, number(), s).as((attempt, question, choice, answer) -> new Call(
                        "submitAssurerChallenge", "mutation($i: SubmitAssurerChallengeInput!) { submitAssurerChallenge("
                        + "input: $i) { error { code message } } }", Map.of("i", Map.of("memberId", "$ME", "attemptId",
                        attempt, "answers", List.of(Map.of("questionId", question, "choice", choice, "answer", answer)))))),
                Combinators.combine(s, s, s, s).as((name, country, locality, admin) -> new Call("assureOrganisation",
                        "mutation($i: AssureOrganisationInput!) { assureOrganisation(input: $i) { error { code message } } }",
                        Map.of("i", Map.of("assurerId", "$ME", "name", name, "country", country, "locality", locality,
                                "adminIds", List.of(admin))))),
                Combinators.combine(s, s, date()).as((given, family, dob) -> new Call("correctMemberDetails",
                        "mutation($i: CorrectMemberDetailsInput!) { correctMemberDetails(input: $i) { error { code message } } }",
                        Map.of("i", Map.of("memberId", "$ME", "givenNames", given, "familyName", family,
                                "dateOfBirth", dob)))));
    }
}
