package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.trustledger.server.config.EmbeddedMongo;

/**
 * The GraphQL contract against the whole application (embedded MongoDB, Axon, projections) over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory",
        "trustledger.dev-mode=true",
        "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class LedgerGraphQlTest {

    static final String[] FOUNDERS = {"alice@founders.example", "bob@founders.example", "carol@founders.example"};

    @Autowired
    HttpGraphQlTester anonymousGraphQl;
    @LocalServerPort
    int port;
    Identities ids;
    /** Acting as support (Alice) unless a test logs in as someone else with {@link #as}. */
    HttpGraphQlTester graphQl;

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    @BeforeEach
    void logIn() {
        ids = new Identities(anonymousGraphQl, port);
        graphQl = ids.as(FOUNDERS[0]);
    }

    HttpGraphQlTester as(String email) {
        return ids.as(email);
    }

    @Autowired
    EmbeddedMongo embedded;

    /** Every connection of the application's own driver counts as its own: the store stays unshared. */
    @AfterEach
    void theEmbeddedStoreStillHasOnlyThisProcessAsClient() {
        assertThat(embedded.soleWriter()).as("embedded store still unshared").isTrue();
    }

    /** These tests' helpers, over another test's logins. */
    static LedgerGraphQlTest over(Identities ids) {
        LedgerGraphQlTest helper = new LedgerGraphQlTest();
        helper.ids = ids;
        helper.graphQl = ids.as(FOUNDERS[0]);
        return helper;
    }

    static Map<String, Object> registration(String email, String dob) {
        List<Map<String, String>> questions = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            questions.add(Map.of("question", "Question " + i + "?", "answer", "answer " + i));
        }
        return Map.of("givenNames", "Ada", "familyName", "Lovelace", "dateOfBirth", dob, "email", email,
                "passphrase", "violet tractor ribbon meadow", "securityQuestions", questions);
    }

    static String uniqueEmail() {
        return "m-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    /** Looked up by support; remembered for {@link Identities#asId}. */
    String memberId(String email) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) { // right after start-up the read model may not have applied genesis yet
            String id = ids.post(FOUNDERS[0], "query($e: String!) { memberByEmail(email: $e) { id } }", Map.of("e", email))
                    .path("data").path("memberByEmail").path("id").asString(null);
            if (id != null) {
                Identities.EMAILS.put(id, email);
                return id;
            }
            assertThat(System.currentTimeMillis()).as(email + " in the read model within 10 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    String registerAndVerify(String email, String dob) {
        ids.anonymous().documentName("registerMember").variable("input", registration(email, dob)).execute()
                .path("registerMember.error").valueIsNull()
                .path("registerMember.member.status").entity(String.class).isEqualTo("MEMBER")
                .path("registerMember.member.emailVerified").entity(Boolean.class).isEqualTo(false);
        ids.anonymous().documentName("verifyEmail").variable("token", token(email)).execute()
                .path("verifyEmail.error").valueIsNull()
                .path("verifyEmail.member.id").entity(String.class).satisfies(id -> Identities.EMAILS.put(id, email));
        return memberId(email);
    }

    /** The newest token mailed to the address; the outbox is written asynchronously, as real mail arrives. */
    String token(String email) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            List<String> tokens = graphQl.documentName("devOutbox").variable("to", email).execute()
                    .path("devOutbox[*].token").entityList(String.class).get();
            if (!tokens.isEmpty()) {
                return tokens.get(tokens.size() - 1);
            }
            assertThat(System.currentTimeMillis()).as("a mail to " + email + " within 10 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    Map<String, Object> assurance(String assurerId, String email, String dob, int points) {
        return Map.of("assurerId", assurerId, "assureeEmail", email, "assureeDateOfBirth", dob, "date", "2026-11-20",
                "location", "Berlin, Hackerspace", "points", points, "documents", List.of("passport"),
                "assureeAgreedToCommunityAgreement", true, "assurerSawOriginalDocuments", true);
    }

    @Test
    void founders_are_senior_assurers_from_genesis() {
        graphQl.documentName("memberByEmail").variable("email", FOUNDERS[0]).execute()
                .path("memberByEmail.status").entity(String.class).isEqualTo("SENIOR_ASSURER")
                .path("memberByEmail.founding").entity(Boolean.class).isEqualTo(true)
                .path("memberByEmail.points.total").entity(Integer.class).isEqualTo(150)
                .path("memberByEmail.points.maxAssurancePoints").entity(Integer.class).isEqualTo(35);
    }

    @Test
    void a_newcomer_reaches_100_points_with_three_founders() {
        String email = uniqueEmail();
        registerAndVerify(email, "1990-12-10");
        int[] expectedAp = {35, 70, 100};
        int[] expectedCounted = {35, 35, 30};
        for (int i = 0; i < 3; i++) {
            as(FOUNDERS[i]).documentName("recordAssurance").variable("input", assurance(memberId(FOUNDERS[i]), email,
                            "1990-12-10", 35)).execute()
                    .path("recordAssurance.error").valueIsNull()
                    .path("recordAssurance.assurance.points").entity(Integer.class).isEqualTo(35)
                    .path("recordAssurance.assurance.counted").entity(Integer.class).isEqualTo(expectedCounted[i])
                    .path("recordAssurance.assurance.kind").entity(String.class).isEqualTo("FACE_TO_FACE")
                    .path("recordAssurance.assurance.kind").entity(String.class).isEqualTo("FACE_TO_FACE");
            // Points are private: support sees them, the assurer (unless support) does not.
            graphQl.documentName("memberByEmail").variable("email", email).execute()
                    .path("memberByEmail.points.assurance").entity(Integer.class).isEqualTo(expectedAp[i]);
            if (i > 0) {
                as(FOUNDERS[i]).document("query($e: String!) { memberByEmail(email: $e) { id } }").variable("e", email)
                        .execute().path("memberByEmail").valueIsNull();
            }
        }
        var response = graphQl.documentName("memberByEmail").variable("email", email).variable("first", 2).execute();
        response.path("memberByEmail.status").entity(String.class).isEqualTo("ASSURED_MEMBER")
                .path("memberByEmail.points.assurance").entity(Integer.class).isEqualTo(100)
                .path("memberByEmail.points.experience").entity(Integer.class).isEqualTo(0)
                .path("memberByEmail.rights.nameInCertificate").entity(Boolean.class).isEqualTo(true)
                .path("memberByEmail.rights.class3Root").entity(Boolean.class).isEqualTo(true)
                .path("memberByEmail.rights.maxValidityDays").entity(Integer.class).isEqualTo(730)
                .path("memberByEmail.assurancesReceived.totalCount").entity(Integer.class).isEqualTo(3)
                .path("memberByEmail.assurancesReceived.edges").entityList(Object.class).hasSize(2)
                .path("memberByEmail.assurancesReceived.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
        String end = response.path("memberByEmail.assurancesReceived.pageInfo.endCursor").entity(String.class).get();
        graphQl.documentName("memberByEmail").variable("email", email).variable("first", 2).variable("after", end).execute()
                .path("memberByEmail.assurancesReceived.edges").entityList(Object.class).hasSize(1)
                .path("memberByEmail.assurancesReceived.edges[0].node.counted").entity(Integer.class).isEqualTo(30)
                .path("memberByEmail.assurancesReceived.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false)
                .path("memberByEmail.assurancesReceived.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(true);
    }

    @Test
    void a_new_assurer_is_limited_by_experience_and_the_refusal_is_a_payload_error() {
        String email = uniqueEmail();
        String id = registerAndVerify(email, "1985-05-05");
        for (int i = 0; i < 3; i++) {
            as(FOUNDERS[i]).documentName("recordAssurance").variable("input", assurance(memberId(FOUNDERS[i]), email,
                    "1985-05-05", 35)).execute().path("recordAssurance.error").valueIsNull();
        }
        graphQl.documentName("recordAssurerChallenge").variable("input", Map.of("memberId", id, "scorePercent", 80)).execute()
                .path("recordAssurerChallenge.error").valueIsNull()
                .path("recordAssurerChallenge.member.status").entity(String.class).isEqualTo("ASSURER")
                .path("recordAssurerChallenge.member.points.maxAssurancePoints").entity(Integer.class).isEqualTo(10);
        String other = uniqueEmail();
        registerAndVerify(other, "1991-01-01");
        as(email).documentName("recordAssurance").variable("input", assurance(id, other, "1991-01-01", 11)).execute()
                .path("recordAssurance.assurance").valueIsNull()
                .path("recordAssurance.error.code").entity(String.class).isEqualTo("POINTS_ABOVE_ASSURER_MAXIMUM")
                .path("recordAssurance.error.message").entity(String.class).satisfies(m -> assertThat(m).contains("at most 10"));
        as(email).documentName("recordAssurance").variable("input", assurance(id, other, "1991-01-01", 10)).execute()
                .path("recordAssurance.error").valueIsNull()
                .path("recordAssurance.assurance.assurer.status").entity(String.class).isEqualTo("ASSURER");
        graphQl.documentName("memberByEmail").variable("email", email).execute()
                .path("memberByEmail.points.experience").entity(Integer.class).isEqualTo(2)
                .path("memberByEmail.assurancesGiven.totalCount").entity(Integer.class).isEqualTo(1);
    }

    @Test
    void registration_refusals_are_payload_errors_and_record_nothing() {
        String email = uniqueEmail();
        Map<String, Object> input = new java.util.HashMap<>(registration(email, "1990-12-10"));
        input.put("securityQuestions", List.of(Map.of("question", "only one?", "answer", "yes")));
        ids.anonymous().documentName("registerMember").variable("input", input).execute()
                .path("registerMember.member").valueIsNull()
                .path("registerMember.error.code").entity(String.class).isEqualTo("SECURITY_QUESTIONS_NOT_FIVE");
        graphQl.documentName("memberByEmail").variable("email", email).execute().path("memberByEmail").valueIsNull();

        input = new java.util.HashMap<>(registration(email, "1990-12-10"));
        input.put("passphrase", "short");
        ids.anonymous().documentName("registerMember").variable("input", input).execute()
                .path("registerMember.error.code").entity(String.class).isEqualTo("PASSPHRASE_TOO_SHORT");
        input.put("passphrase", "Correct Horse Battery Staple");
        ids.anonymous().documentName("registerMember").variable("input", input).execute()
                .path("registerMember.error.code").entity(String.class).isEqualTo("PASSPHRASE_TOO_COMMON");
        input.put("passphrase", "password12345678");
        ids.anonymous().documentName("registerMember").variable("input", input).execute()
                .path("registerMember.error.code").entity(String.class).isEqualTo("PASSPHRASE_TOO_COMMON");

        ids.anonymous().documentName("registerMember").variable("input", registration(FOUNDERS[1], "1990-12-10")).execute()
                .path("registerMember.error.code").entity(String.class).isEqualTo("EMAIL_ALREADY_REGISTERED");
    }

    @Test
    void a_member_adds_and_verifies_a_second_email() {
        String first = uniqueEmail();
        String id = registerAndVerify(first, "1990-12-10");
        String second = uniqueEmail();
        as(first).documentName("addEmail").variable("input", Map.of("memberId", id, "email", second)).execute()
                .path("addEmail.error").valueIsNull()
                .path("addEmail.member.id").entity(String.class).isEqualTo(id);
        graphQl.documentName("verifyEmail").variable("token", token(second)).execute()
                .path("verifyEmail.error").valueIsNull()
                .path("verifyEmail.member.id").entity(String.class).isEqualTo(id);
        graphQl.documentName("memberByEmail").variable("email", second).execute()
                .path("memberByEmail.id").entity(String.class).isEqualTo(id);
        // An address of another account cannot be added; an unknown member is refused too.
        as(first).documentName("addEmail").variable("input", Map.of("memberId", id, "email", FOUNDERS[2])).execute()
                .path("addEmail.member").valueIsNull()
                .path("addEmail.error.code").entity(String.class).isEqualTo("EMAIL_ALREADY_REGISTERED");
        as(first).documentName("addEmail").variable("input", Map.of("memberId", "nobody", "email", uniqueEmail())).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
    }

    @Test
    void a_member_corrects_their_details_only_before_any_assurance_counts() {
        String email = uniqueEmail();
        String id = registerAndVerify(email, "1990-12-10");
        String correct = "mutation($m: ID!, $d: Date!) { correctMemberDetails(input: {memberId: $m, givenNames: \"Ada\","
                + " familyName: \"Byron\", dateOfBirth: $d}) { member { id } error { code } } }";
        as(email).document(correct).variable("m", id).variable("d", "1990-12-11").execute()
                .path("correctMemberDetails.error").valueIsNull();
        graphQl.documentName("recordAssurance").variable("input", assurance(memberId(FOUNDERS[0]), email, "1990-12-11", 10))
                .execute().path("recordAssurance.error").valueIsNull();
        as(email).document(correct).variable("m", id).variable("d", "1990-12-12").execute()
                .path("correctMemberDetails.member").valueIsNull()
                .path("correctMemberDetails.error.code").entity(String.class).isEqualTo("DETAILS_FIXED_BY_ASSURANCE");
    }

    @Test
    void a_bad_token_is_refused() {
        ids.anonymous().documentName("verifyEmail").variable("token", "not-a-token").execute()
                .path("verifyEmail.member").valueIsNull()
                .path("verifyEmail.error.code").entity(String.class).isEqualTo("TOKEN_INVALID");
    }

    @Test
    void unexpected_input_gets_graphql_errors_with_a_code() {
        graphQl.documentName("memberByEmail").variable("email", FOUNDERS[0]).variable("first", 101).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "BAD_USER_INPUT")));
        graphQl.documentName("memberByEmail").variable("email", FOUNDERS[0]).variable("after", "bogus").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "BAD_USER_INPUT")));
        graphQl.document("{ member(id: \"x\") { nosuchfield } }").execute()
                .errors().satisfy(errors -> assertThat(errors).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", "GRAPHQL_VALIDATION_FAILED")));
        graphQl.documentName("recordAssurance")
                .variable("input", Map.of("assurerId", "x", "assureeEmail", "a@b.org", "assureeDateOfBirth", "1990-13-01",
                        "date", "2026-11-20", "location", "Berlin", "points", 1, "documents", List.of("passport"),
                        "assureeAgreedToCommunityAgreement", true, "assurerSawOriginalDocuments", true))
                .execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> {
                    assertThat(e.getMessage()).contains("1990-13-01").contains("not a valid Date");
                    assertThat(e.getExtensions()).containsKey("code");
                }));
    }

    @Test
    void unknown_ids_are_null_not_errors() {
        graphQl.document("{ member(id: \"no-such-member\") { id } }").execute().path("member").valueIsNull();
        graphQl.document("{ assurance(id: \"no-such-assurance\") { id } }").execute().path("assurance").valueIsNull();
    }
}
