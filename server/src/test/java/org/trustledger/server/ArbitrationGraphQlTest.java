package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;

/** Roles, parental consent and arbitration through GraphQL against the whole application. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class ArbitrationGraphQlTest extends LoggedInGraphQlTest {

    static final String CASE = """
            fragment caseFields on ArbitrationCase {
              id status relief resolution claimant { id } arbitrator { id }
              rulings { remedy detail reason subject { id } arbitrator { id } }
            }
            """;


    /** Appoints the role unless an earlier test in this shared application already did. */
    @SuppressWarnings("unchecked")
    void ensureRole(String memberId, String role, String by) {
        Map<String, Object> payload = graphQl.document("mutation($m: ID!, $r: Role!, $by: ID!) { appointRole(input: {"
                        + "memberId: $m, role: $r, appointedBy: $by, reason: \"appointed for the test\"}) { error { code } } }")
                .variable("m", memberId).variable("r", role).variable("by", by).execute()
                .path("appointRole").entity(Map.class).get();
        Map<String, Object> error = (Map<String, Object>) payload.get("error");
        assertThat(error == null || "ROLE_ALREADY_HELD".equals(error.get("code"))).as(String.valueOf(error)).isTrue();
    }

    @org.springframework.beans.factory.annotation.Autowired
    com.mongodb.client.MongoDatabase db;

    String assure(String founderEmail, String email, String dob) {
        return as(founderEmail).documentName("recordAssurance")
                .variable("input", helper().assurance(helper().memberId(founderEmail), email, dob, 35)).execute()
                .path("recordAssurance.error").valueIsNull()
                .path("recordAssurance.assurance.id").entity(String.class).get();
    }

    @Test
    void an_arbitrator_voids_an_assurance_and_the_member_loses_its_points() {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String support = helper().memberId(f[0]);
        String arbitrator = helper().memberId(f[2]);
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1988-08-08");
        assure(f[0], email, "1988-08-08");
        String forged = assure(f[1], email, "1988-08-08");
        assure(f[2], email, "1988-08-08");

        ensureRole(arbitrator, "ARBITRATOR", support);
        graphQl.document("query($m: ID!) { member(id: $m) { roles } }").variable("m", arbitrator).execute()
                .path("member.roles").entityList(String.class).contains("ARBITRATOR");
        forbidden(ids.asId(member).document("mutation($m: ID!, $by: ID!) { appointRole(input: {memberId: $m, role: SUPPORT,"
                        + " appointedBy: $by, reason: \"x\"}) { member { id } error { code } } }")
                .variable("m", member).variable("by", member).execute());

        String caseId = ids.asId(member).document(CASE + "mutation($c: ID!) { fileCase(input: {claimantId: $c, relief: \"the assurance"
                        + " by Bob used forged papers\"}) { case { ...caseFields } error { code } } }")
                .variable("c", member).execute()
                .path("fileCase.error").valueIsNull()
                .path("fileCase.case.status").entity(String.class).isEqualTo("OPEN")
                .path("fileCase.case.id").entity(String.class)
                .satisfies(id -> assertThat(id).matches("a\\d{8}\\.\\d+")).get();
        graphQl.document(CASE + "mutation($k: ID!, $a: ID!, $by: ID!) { assignArbitrator(input: {caseId: $k, arbitratorId: $a,"
                        + " assignedBy: $by}) { case { ...caseFields } error { code } } }")
                .variable("k", caseId).variable("a", arbitrator).variable("by", support).execute()
                .path("assignArbitrator.case.arbitrator.id").entity(String.class).isEqualTo(arbitrator);

        String voiding = CASE + "mutation($k: ID!, $a: ID!, $x: ID!) { voidAssurance(input: {caseId: $k, arbitratorId: $a,"
                + " assuranceId: $x, reason: \"forged documents\"}) { case { ...caseFields } error { code message } } }";
        forbidden(graphQl.document(voiding).variable("k", caseId).variable("a", support).variable("x", forged).execute());
        as(f[2]).document(voiding).variable("k", caseId).variable("a", arbitrator).variable("x", forged).execute()
                .path("voidAssurance.error").valueIsNull()
                .path("voidAssurance.case.rulings[0].remedy").entity(String.class).isEqualTo("VOID_ASSURANCE")
                .path("voidAssurance.case.rulings[0].reason").entity(String.class).isEqualTo("forged documents");
        graphQl.document("query($x: ID!) { assurance(id: $x) { voided voidedBy points counted } }").variable("x", forged).execute()
                .path("assurance.voided").entity(Boolean.class).isEqualTo(true)
                .path("assurance.voidedBy").entity(String.class).isEqualTo(caseId)
                .path("assurance.points").entity(Integer.class).isEqualTo(35);
        graphQl.documentName("memberByEmail").variable("email", email).execute()
                .path("memberByEmail.points.assurance").entity(Integer.class).isEqualTo(70);
        long voided = db.getCollection("assurance_view").countDocuments(new org.bson.Document("voided", true));
        assertThat(voided).isPositive();
        graphQl.document("{ ledgerStats { voidedAssurances } }").execute()
                .path("ledgerStats.voidedAssurances").entity(Long.class).isEqualTo(voided);

        as(f[2]).document(CASE + "mutation($k: ID!, $a: ID!) { closeCase(input: {caseId: $k, arbitratorId: $a,"
                        + " resolution: \"voided\"}) { case { ...caseFields } error { code } } }")
                .variable("k", caseId).variable("a", arbitrator).execute()
                .path("closeCase.case.status").entity(String.class).isEqualTo("CLOSED")
                .path("closeCase.case.resolution").entity(String.class).isEqualTo("voided");
        as(f[2]).document(voiding).variable("k", caseId).variable("a", arbitrator).variable("x", forged).execute()
                .path("voidAssurance.error.code").entity(String.class).isEqualTo("CASE_CLOSED");
        graphQl.document(CASE + "query($k: ID!) { arbitrationCase(id: $k) { ...caseFields } }").variable("k", caseId).execute()
                .path("arbitrationCase.rulings").entityList(Object.class).hasSize(1);
    }

    @Test
    void a_minor_becomes_an_assured_member_only_with_parental_consent() {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String dob = LocalDate.now().minusYears(16).toString();
        String email = LedgerGraphQlTest.uniqueEmail();
        String minor = helper().registerAndVerify(email, dob);
        assure(f[0], email, dob);
        assure(f[1], email, dob);
        graphQl.documentName("memberByEmail").variable("email", email).execute()
                .path("memberByEmail.points.assurance").entity(Integer.class).isEqualTo(70)
                .path("memberByEmail.status").entity(String.class).isEqualTo("MEMBER");
        as(f[1]).document("mutation($m: ID!, $by: ID!) { recordParentalConsent(input: {memberId: $m, guardianName: \"Pat Parent\","
                        + " recordedBy: $by}) { member { status parentalConsent } error { code } } }")
                .variable("m", minor).variable("by", helper().memberId(f[1])).execute()
                .path("recordParentalConsent.error").valueIsNull()
                .path("recordParentalConsent.member.parentalConsent").valueIsNull() // the minor's, support's, not the Assurer's
                .path("recordParentalConsent.member.status").entity(String.class).isEqualTo("ASSURED_MEMBER");
        graphQl.document("query($m: ID!) { member(id: $m) { parentalConsent } }").variable("m", minor).execute()
                .path("member.parentalConsent").entity(Boolean.class).isEqualTo(true);
    }

    @Test
    void a_ttp_admin_records_a_ttp_assisted_assurance_that_earns_no_experience() {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String support = helper().memberId(f[0]);
        String admin = helper().memberId(f[1]);
        String email = LedgerGraphQlTest.uniqueEmail();
        helper().registerAndVerify(email, "1977-07-07");
        int givenBefore = graphQl.documentName("memberByEmail").variable("email", f[1]).execute()
                .path("memberByEmail.assurancesGiven.totalCount").entity(Integer.class).get();
        String ttp = "mutation($a: ID!, $e: String!) { recordTtpAssurance(input: {adminId: $a, assureeEmail: $e,"
                + " assureeDateOfBirth: \"1977-07-07\", ttpName: \"Notary Schmidt\", ttpKind: \"notary\", country: \"DE\","
                + " date: \"2026-11-20\", documents: [\"passport\"], points: 35}) { assurance { kind points counted"
                + " assuree { points { assurance } } } error { code } } }";
        forbidden(as(f[1]).document(ttp).variable("a", admin).variable("e", email).execute());
        ensureRole(admin, "TTP_ADMIN", support);
        as(f[1]).document(ttp).variable("a", admin).variable("e", email).execute()
                .path("recordTtpAssurance.error").valueIsNull()
                .path("recordTtpAssurance.assurance.kind").entity(String.class).isEqualTo("TTP_ASSISTED")
                .path("recordTtpAssurance.assurance.counted").entity(Integer.class).isEqualTo(35);
        as(f[1]).document(ttp).variable("a", admin).variable("e", email).execute()
                .path("recordTtpAssurance.error.code").entity(String.class).isEqualTo("TTP_NOT_DIFFERENT");
        graphQl.documentName("memberByEmail").variable("email", f[1]).execute()
                .path("memberByEmail.assurancesGiven.totalCount").entity(Integer.class).isEqualTo(givenBefore);
    }

    /** Sends a ruling mutation and returns the remedy of the newest ruling, failing on a refusal. */
    String rule(String mutation, String inputFields, Map<String, Object> vars) {
        var request = ids.asId((String) vars.get("a")).document("mutation($k: ID!, $a: ID!, $m: ID!) { " + mutation + "(input: {caseId: $k,"
                + " arbitratorId: $a, memberId: $m, " + inputFields + "}) { case { rulings { remedy } } error { code message } } }");
        for (Map.Entry<String, Object> v : vars.entrySet()) {
            request = request.variable(v.getKey(), v.getValue());
        }
        var response = request.execute();
        response.path(mutation + ".error").valueIsNull();
        List<String> remedies = response.path(mutation + ".case.rulings[*].remedy").entityList(String.class).get();
        return remedies.get(remedies.size() - 1);
    }

    @Test
    void every_ruling_is_available_over_graphql() {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String support = helper().memberId(f[0]);
        String arbitrator = helper().memberId(f[2]);
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1979-09-09");
        ensureRole(arbitrator, "ARBITRATOR", support);
        String caseId = ids.asId(member).document("mutation($c: ID!) { fileCase(input: {claimantId: $c, relief: \"all remedies\"}) {"
                + " case { id } } }").variable("c", member).execute().path("fileCase.case.id").entity(String.class).get();
        graphQl.document("mutation($k: ID!, $a: ID!, $by: ID!) { assignArbitrator(input: {caseId: $k, arbitratorId: $a,"
                + " assignedBy: $by}) { error { code } } }").variable("k", caseId).variable("a", arbitrator).variable("by", support)
                .execute().path("assignArbitrator.error").valueIsNull();
        Map<String, Object> vars = Map.of("k", caseId, "a", arbitrator, "m", member);

        assertThat(rule("adjustPoints", "assurancePointsDelta: 10, experiencePointsDelta: 0, reason: \"lost CAP form\"", vars))
                .isEqualTo("ADJUST_POINTS");
        graphQl.documentName("memberByEmail").variable("email", email).execute()
                .path("memberByEmail.points.assurance").entity(Integer.class).isEqualTo(10);
        assertThat(rule("blockAssurer", "reason: \"careless\"", vars)).isEqualTo("BLOCK_ASSURER");
        assertThat(rule("unblockAssurer", "reason: \"retrained\"", vars)).isEqualTo("UNBLOCK_ASSURER");
        assertThat(rule("changeMemberName", "givenNames: \"Grace\", familyName: \"Hopper\", reason: \"typo\"", vars))
                .isEqualTo("CHANGE_NAME");
        assertThat(rule("changeMemberDateOfBirth", "dateOfBirth: \"1979-09-10\", reason: \"typo\"", vars))
                .isEqualTo("CHANGE_DATE_OF_BIRTH");
        assertThat(rule("revokeCertificates", "serials: [\"0A1B\"], reason: \"key compromise\"", vars))
                .isEqualTo("REVOKE_CERTIFICATES");
        // History is the assigned arbitrator's to read, not any arbitrator's.
        String history = "query($m: ID!) { pointsAsOf(memberId: $m, at: \"2030-01-01T00:00:00Z\", view: AS_RECORDED)"
                + " { status } }";
        ids.asId(arbitrator).document(history).variable("m", member).execute().path("pointsAsOf.status").hasValue();
        String outsider = helper().memberId(f[1]);
        ensureRole(outsider, "ARBITRATOR", support);
        ids.asId(outsider).document(history).variable("m", member).execute().errors().satisfy(errors ->
                assertThat(errors).singleElement().satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
        ids.asId(member).document("{ me { id } }").execute().path("me.id").entity(String.class).isEqualTo(member);

        assertThat(rule("lockAccount", "reason: \"identity theft\"", vars)).isEqualTo("LOCK_ACCOUNT");
        graphQl.document("query($m: ID!) { member(id: $m) { locked blockedAsAssurer } }").variable("m", member).execute()
                .path("member.locked").entity(Boolean.class).isEqualTo(true)
                .path("member.blockedAsAssurer").entity(Boolean.class).isEqualTo(false);
        // A locked member is nobody: their logins stop working at once.
        ids.asId(member).document("{ me { id } }").execute().errors().satisfy(errors -> assertThat(errors)
                .singleElement().satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "UNAUTHENTICATED")));
        assertThat(rule("deleteAccount", "reason: \"asked to leave\"", vars)).isEqualTo("DELETE_ACCOUNT");
        graphQl.document("query($m: ID!) { member(id: $m) { deleted status } }").variable("m", member).execute()
                .path("member.deleted").entity(Boolean.class).isEqualTo(true);
        graphQl.documentName("memberByEmail").variable("email", email).execute().path("memberByEmail").valueIsNull();

        String bob = helper().memberId(f[1]);
        ensureRole(bob, "ORGANISATION_ASSURER", support);
        graphQl.document("mutation($m: ID!, $by: ID!) { withdrawRole(input: {memberId: $m, role: ORGANISATION_ASSURER,"
                        + " withdrawnBy: $by, reason: \"term ended\"}) { member { roles } error { code } } }")
                .variable("m", bob).variable("by", support).execute()
                .path("withdrawRole.error").valueIsNull()
                .path("withdrawRole.member.roles").entityList(String.class).doesNotContain("ORGANISATION_ASSURER");
    }

    @Test
    void a_top_up_follows_two_ttp_assurances_and_a_passed_challenge() {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String support = helper().memberId(f[0]);
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1966-06-06");
        for (String admin : List.of(f[0], f[1])) {
            ensureRole(helper().memberId(admin), "TTP_ADMIN", support);
        }
        int n = 0;
        for (String admin : List.of(f[0], f[1])) {
            n++;
            as(admin).document("mutation($a: ID!, $e: String!, $t: String!) { recordTtpAssurance(input: {adminId: $a,"
                            + " assureeEmail: $e, assureeDateOfBirth: \"1966-06-06\", ttpName: $t, ttpKind: \"notary\","
                            + " country: \"NL\", date: \"2026-11-20\", documents: [\"passport\"], points: 35}) { error { code } } }")
                    .variable("a", helper().memberId(admin)).variable("e", email).variable("t", "Notary " + n).execute()
                    .path("recordTtpAssurance.error").valueIsNull();
        }
        graphQl.documentName("recordAssurerChallenge").variable("input", Map.of("memberId", member, "scorePercent", 90))
                .execute().path("recordAssurerChallenge.error").valueIsNull();
        String topUp = "mutation($s: ID!, $e: String!) { recordTopUp(input: {seniorAssurerId: $s, assureeEmail: $e,"
                + " assureeDateOfBirth: \"1966-06-06\", date: \"2026-11-21\", points: 35}) { assurance { kind counted"
                + " assuree { points { assurance } status } } error { code } } }";
        as(f[1]).document(topUp).variable("s", helper().memberId(f[1])).variable("e", email).execute()
                .path("recordTopUp.error.code").entity(String.class).isEqualTo("TOP_UP_NOT_INDEPENDENT");
        as(f[2]).document(topUp).variable("s", helper().memberId(f[2])).variable("e", email).execute()
                .path("recordTopUp.error").valueIsNull()
                .path("recordTopUp.assurance.kind").entity(String.class).isEqualTo("TTP_TOP_UP")
                .path("recordTopUp.assurance.counted").entity(Integer.class).isEqualTo(30)
                .path("recordTopUp.assurance.assuree.points").valueIsNull() // private to the recorder
                .path("recordTopUp.assurance.assuree.status").entity(String.class).isEqualTo("ASSURER");
        graphQl.documentName("memberByEmail").variable("email", email).execute()
                .path("memberByEmail.points.assurance").entity(Integer.class).isEqualTo(100);
    }

    @Test
    void support_enables_code_signing_which_counts_for_assurers_only() {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String support = helper().memberId(f[0]);
        String founder = helper().memberId(f[2]);
        String plain = helper().registerAndVerify(LedgerGraphQlTest.uniqueEmail(), "1990-03-03");
        String set = "mutation($m: ID!, $by: ID!) { setCodeSigning(input: {memberId: $m, enabled: true, setBy: $by,"
                + " reason: \"signs releases\"}) { member { rights { codeSigning maxValidityDays } } error { code } } }";
        forbidden(ids.asId(plain).document(set).variable("m", founder).variable("by", plain).execute());
        graphQl.document(set).variable("m", founder).variable("by", support).execute()
                .path("setCodeSigning.error").valueIsNull()
                .path("setCodeSigning.member.rights.codeSigning").entity(Boolean.class).isEqualTo(true);
        graphQl.document(set).variable("m", plain).variable("by", support).execute()
                .path("setCodeSigning.member.rights.codeSigning").entity(Boolean.class).isEqualTo(false);
    }

    /** The access rules refused the call before it ran: a FORBIDDEN error and no data. */
    static void forbidden(org.springframework.graphql.test.tester.GraphQlTester.Response response) {
        response.errors().satisfy(errors -> assertThat(errors).singleElement()
                .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
    }

    @Test
    void unknown_cases_are_null() {
        graphQl.document("{ arbitrationCase(id: \"a19990101.1\") { id } }").execute().path("arbitrationCase").valueIsNull();
    }
}
