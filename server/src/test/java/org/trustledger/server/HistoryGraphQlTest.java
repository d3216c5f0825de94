package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * History for arbitrators: an assurance voided later counts in AS_RECORDED before the ruling and
 * never in AS_CORRECTED; the member's history; the impact of voiding before the ruling; rebuild.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class HistoryGraphQlTest extends LoggedInGraphQlTest {

    static final String POINTS_AS_OF = "query($m: ID!, $at: DateTime!, $v: HistoryView!) { pointsAsOf(memberId: $m, at: $at,"
            + " view: $v) { view points { assurance experience total } status rights { nameInCertificate class3Root } } }";


    String assure(String founder, String email) {
        return as(founder).documentName("recordAssurance").variable("input",
                        helper().assurance(helper().memberId(founder), email, "1980-02-02", 35)).execute()
                .path("recordAssurance.error").valueIsNull()
                .path("recordAssurance.assurance.id").entity(String.class).get();
    }

    int ap(String memberId, Instant at, String view) {
        return graphQl.document(POINTS_AS_OF).variable("m", memberId).variable("at", at.toString()).variable("v", view)
                .execute().path("pointsAsOf.points.assurance").entity(Integer.class).get();
    }

    @Test
    void an_assurance_voided_later_counts_as_recorded_before_the_ruling_and_never_as_corrected() throws Exception {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        Instant beforeAll = Instant.now();
        Thread.sleep(5);
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1980-02-02");
        assure(f[0], email);
        String forged = assure(f[1], email);
        assure(f[2], email);
        awaitHistory(member, 5); // the timeline is its own projection: let it see the three assurances
        Thread.sleep(5);
        Instant beforeRuling = Instant.now();
        Thread.sleep(5);

        // Before ruling: what would voiding change?
        graphQl.document("query($x: ID!) { voidingImpact(assuranceId: $x) { assurance { id } "
                        + "assuree { member { id } pointsBefore { assurance } pointsAfter { assurance } statusBefore statusAfter rightsLost } "
                        + "assurer { pointsBefore { total } pointsAfter { total } rightsLost } "
                        + "membersWhoseStatusChanges { id } certificatesLosingBacking } }")
                .variable("x", forged).execute()
                .path("voidingImpact.assuree.member.id").entity(String.class).isEqualTo(member)
                .path("voidingImpact.assuree.pointsBefore.assurance").entity(Integer.class).isEqualTo(100)
                .path("voidingImpact.assuree.pointsAfter.assurance").entity(Integer.class).isEqualTo(70)
                .path("voidingImpact.assuree.statusBefore").entity(String.class).isEqualTo("ASSURED_MEMBER")
                .path("voidingImpact.assuree.statusAfter").entity(String.class).isEqualTo("ASSURED_MEMBER")
                .path("voidingImpact.assurer.pointsAfter.total").entity(Integer.class).isEqualTo(150)
                .path("voidingImpact.certificatesLosingBacking").entityList(String.class).hasSize(0);

        String support = helper().memberId(f[0]);
        String arbitrator = helper().memberId(f[2]);
        graphQl.document("mutation($m: ID!, $by: ID!) { appointRole(input: {memberId: $m, role: ARBITRATOR, appointedBy: $by,"
                + " reason: \"trained\"}) { error { code } } }").variable("m", arbitrator).variable("by", support).execute();
        String caseId = graphQl.document("mutation($c: ID!) { fileCase(input: {claimantId: $c, relief: \"void\"}) { case { id } } }")
                .variable("c", member).execute().path("fileCase.case.id").entity(String.class).get();
        graphQl.document("mutation($k: ID!, $a: ID!, $by: ID!) { assignArbitrator(input: {caseId: $k, arbitratorId: $a,"
                + " assignedBy: $by}) { error { code } } }").variable("k", caseId).variable("a", arbitrator)
                .variable("by", support).execute().path("assignArbitrator.error").valueIsNull();
        as(f[2]).document("mutation($k: ID!, $a: ID!, $x: ID!) { voidAssurance(input: {caseId: $k, arbitratorId: $a,"
                        + " assuranceId: $x, reason: \"forged\"}) { error { code } } }")
                .variable("k", caseId).variable("a", arbitrator).variable("x", forged).execute()
                .path("voidAssurance.error").valueIsNull();
        awaitHistory(member, 8);

        assertThat(ap(member, beforeRuling, "AS_RECORDED")).as("what the ledger said then").isEqualTo(100);
        assertThat(ap(member, beforeRuling, "AS_CORRECTED")).as("the voided assurance never counted").isEqualTo(70);
        assertThat(ap(member, Instant.now(), "AS_RECORDED")).isEqualTo(70);
        assertThat(ap(member, Instant.now(), "AS_CORRECTED")).isEqualTo(70);
        graphQl.document(POINTS_AS_OF).variable("m", member).variable("at", beforeAll.toString()).variable("v", "AS_RECORDED")
                .execute().path("pointsAsOf").valueIsNull();

        graphQl.document("query($m: ID!) { memberHistory(memberId: $m) { event description causedBy caseId ruling"
                        + " points { assurance } status } }").variable("m", member).execute()
                .path("memberHistory[*].event").entityList(String.class).satisfies(events -> assertThat(events)
                        .containsSubsequence("MemberRegistered", "EmailVerified", "AssuranceRecorded", "AssuranceRecorded",
                                "AssuranceRecorded", "AssuranceVoided"))
                .path("memberHistory[-1].ruling").entity(Boolean.class).isEqualTo(true)
                .path("memberHistory[-1].caseId").entity(String.class).isEqualTo(caseId)
                .path("memberHistory[-1].points.assurance").entity(Integer.class).isEqualTo(70)
                .path("memberHistory[-2].points.assurance").entity(Integer.class).isEqualTo(100)
                .path("memberHistory[-2].causedBy").entity(String.class).isEqualTo(helper().memberId(f[2]));
    }

    /** A client certificate for a fresh EC key; returns its serial. */
    String issue(String member, String extra) {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                    g.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            return ids.asId(member).document("mutation($m: ID!, $k: String!) { requestCertificate(input: {memberId: $m, kind: CLIENT,"
                            + " publicKey: $k " + extra + "}) { certificate { serial } error { code message } } }")
                    .variable("m", member).variable("k", pem).execute()
                    .path("requestCertificate.error").valueIsNull()
                    .path("requestCertificate.certificate.serial").entity(String.class).get();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void voiding_impact_names_the_rights_a_member_would_lose() {
        String[] f = LedgerGraphQlTest.FOUNDERS;
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper().registerAndVerify(email, "1980-02-02");
        String first = assure(f[0], email);
        assure(f[1], email);
        awaitHistory(member, 4);
        // The issuance register is asked which certificates rely on lost rights: one named (lost), one not.
        String named = issue(member, "nameVariant: GIVEN_FAMILY");
        issue(member, "");
        graphQl.document("query($x: ID!) { voidingImpact(assuranceId: $x) { assuree { statusBefore statusAfter rightsLost }"
                        + " membersWhoseStatusChanges { id } } }").variable("x", first).execute()
                .path("voidingImpact.assuree.statusBefore").entity(String.class).isEqualTo("ASSURED_MEMBER")
                .path("voidingImpact.assuree.statusAfter").entity(String.class).isEqualTo("MEMBER")
                .path("voidingImpact.assuree.rightsLost").entityList(String.class)
                .contains("nameInCertificate", "class3Root", "openPgpKeySigning")
                .path("voidingImpact.membersWhoseStatusChanges[0].id").entity(String.class).isEqualTo(member);
        graphQl.document("query($x: ID!) { voidingImpact(assuranceId: $x) { certificatesLosingBacking } }").variable("x", first)
                .execute().path("voidingImpact.certificatesLosingBacking").entityList(String.class).containsExactly(named);
        graphQl.document("{ voidingImpact(assuranceId: \"none\") { assuree { statusAfter } } }").execute()
                .path("voidingImpact").valueIsNull();
    }

    @Test
    void rebuilding_every_projection_replays_to_the_same_state_and_reports_progress() throws Exception {
        String email = LedgerGraphQlTest.uniqueEmail();
        helper().registerAndVerify(email, "1980-02-02");
        assure(LedgerGraphQlTest.FOUNDERS[0], email);
        String query = "query($e: String!) { memberByEmail(email: $e) { id status points { assurance total } } }";
        Map<String, Object> before = graphQl.document(query).variable("e", email).execute()
                .path("memberByEmail").entity(Map.class).get();
        graphQl.document("mutation { rebuildProjections { name running } }").execute()
                .path("rebuildProjections[*].name").entityList(String.class).contains("members", "history");
        long deadline = System.currentTimeMillis() + 30_000;
        boolean caughtUp = false;
        while (!caughtUp && System.currentTimeMillis() < deadline) {
            List<Boolean> states = graphQl.document("{ projectionStatus { name caughtUp replaying } }").execute()
                    .path("projectionStatus[?(@.name != 'outbox')].caughtUp").entityList(Boolean.class).get();
            caughtUp = !states.isEmpty() && states.stream().allMatch(Boolean::booleanValue);
            Thread.sleep(100);
        }
        assertThat(caughtUp).isTrue();
        graphQl.document(query).variable("e", email).execute().path("memberByEmail").entity(Map.class).isEqualTo(before);
    }

    void awaitHistory(String memberId, int entries) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            int n = graphQl.document("query($m: ID!) { memberHistory(memberId: $m) { event } }").variable("m", memberId)
                    .execute().path("memberHistory").entityList(Object.class).get().size();
            if (n >= entries) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
