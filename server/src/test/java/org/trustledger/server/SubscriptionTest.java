package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;
import reactor.core.Disposable;

/**
 * Subscriptions with a real graphql-transport-ws client (Spring for GraphQL's WebSocketGraphQlClient
 * over Tomcat's JSR-356 WebSocket client), authenticated with a bearer token at the handshake.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class SubscriptionTest {

    static final String[] F = LedgerGraphQlTest.FOUNDERS;

    @Autowired
    HttpGraphQlTester anonymousGraphQl;
    @LocalServerPort
    int port;
    Identities ids;
    LedgerGraphQlTest helper;

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    @BeforeEach
    void logIn() {
        ids = new Identities(anonymousGraphQl, port);
        helper = LedgerGraphQlTest.over(ids);
    }

    WebSocketGraphQlClient client(String email) {
        WebSocketGraphQlClient.Builder<?> b = WebSocketGraphQlClient.builder("ws://127.0.0.1:" + port + "/graphql-ws",
                new StandardWebSocketClient());
        if (email != null) {
            b.header("Authorization", "Bearer " + Identities.token(port, email,
                    Identities.FOUNDER_PASSPHRASES.getOrDefault(email, Identities.MEMBER_PASSPHRASE)));
        }
        return b.build();
    }

    void assure(String founder, String email, String dob) {
        ids.as(founder).documentName("recordAssurance").variable("input", helper.assurance(helper.memberId(founder),
                email, dob, 35)).execute().path("recordAssurance.error").valueIsNull();
    }

    static void await(List<?> received, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (received.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void members_see_their_own_events_and_points_support_sees_all() throws Exception {
        String e1 = LedgerGraphQlTest.uniqueEmail();
        String e2 = LedgerGraphQlTest.uniqueEmail();
        String m1 = helper.registerAndVerify(e1, "1990-01-01");
        String m2 = helper.registerAndVerify(e2, "1990-02-02");

        List<Map<String, Object>> supportSees = new CopyOnWriteArrayList<>();
        List<Map<String, Object>> memberSees = new CopyOnWriteArrayList<>();
        List<Map<String, Object>> points = new CopyOnWriteArrayList<>();
        List<Map<String, Object>> arbitratorSees = new CopyOnWriteArrayList<>();
        // Carol as an Arbitrator (appointed by support; already one if another test appointed her).
        ids.as(F[0]).document("mutation($m: ID!, $by: ID!) { appointRole(input: {memberId: $m, role: ARBITRATOR,"
                + " appointedBy: $by, reason: \"cases\"}) { error { code } } }").variable("m", helper.memberId(F[2]))
                .variable("by", helper.memberId(F[0])).execute();
        WebSocketGraphQlClient arbitrator = client(F[2]);
        WebSocketGraphQlClient support = client(F[0]);
        WebSocketGraphQlClient member = client(e1);
        @SuppressWarnings("unchecked")
        Disposable s1 = support.document("subscription { ledgerEvents(types: [\"AssuranceRecorded\"]) { type"
                        + " aggregateType aggregateId sequence recordedAt } }").retrieveSubscription("ledgerEvents")
                .toEntity(Map.class).subscribe(m -> supportSees.add((Map<String, Object>) m));
        @SuppressWarnings("unchecked")
        Disposable s2 = member.document("subscription { ledgerEvents { type aggregateId } }")
                .retrieveSubscription("ledgerEvents").toEntity(Map.class).subscribe(m -> memberSees.add((Map<String, Object>) m));
        @SuppressWarnings("unchecked")
        Disposable s3 = member.document("subscription($m: ID!) { pointsChanged(memberId: $m) { assurance total } }")
                .variable("m", m1).retrieveSubscription("pointsChanged").toEntity(Map.class)
                .subscribe(m -> points.add((Map<String, Object>) m));
        @SuppressWarnings("unchecked")
        Disposable s4 = arbitrator.document("subscription { ledgerEvents(types: [\"AssuranceRecorded\"]) { aggregateId } }")
                .retrieveSubscription("ledgerEvents").toEntity(Map.class)
                .subscribe(m -> arbitratorSees.add((Map<String, Object>) m));
        try {
            Thread.sleep(1_000); // the subscriptions are live once the server has acknowledged them
            assure(F[1], e2, "1990-02-02");
            assure(F[1], e1, "1990-01-01");
            await(supportSees, 2);
            await(points, 1);
            await(memberSees, 1);
            await(arbitratorSees, 2);
            assertThat(supportSees).extracting(m -> m.get("aggregateId")).contains(m1, m2);
            assertThat(arbitratorSees).as("an Arbitrator sees every member's events").extracting(m -> m.get("aggregateId"))
                    .contains(m1, m2);
            assertThat(supportSees).allSatisfy(m -> assertThat(m.get("type")).isEqualTo("AssuranceRecorded"));
            assertThat(memberSees).isNotEmpty().allSatisfy(m -> assertThat(m.get("aggregateId")).isEqualTo(m1));
            assertThat(points.get(0)).containsEntry("assurance", 35);
        } finally {
            s1.dispose();
            s2.dispose();
            s3.dispose();
            s4.dispose();
        }

        // Another member's points are not theirs to watch; nobody subscribes anonymously.
        assertThat(errorCode(client(e1), "subscription($m: ID!) { pointsChanged(memberId: $m) { total } }", m2))
                .isEqualTo("FORBIDDEN");
        assertThat(errorCode(client(null), "subscription { ledgerEvents { type } }", null)).isEqualTo("UNAUTHENTICATED");
    }

    /** An account locked by a ruling loses its open subscriptions too, not only its next requests. */
    @Test
    void a_members_subscription_ends_when_a_ruling_locks_the_account() throws Exception {
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper.registerAndVerify(email, "1991-01-01");
        String support = helper.memberId(F[0]);
        String carol = helper.memberId(F[2]);
        ids.as(F[0]).document("mutation($m: ID!, $by: ID!) { appointRole(input: {memberId: $m, role: ARBITRATOR,"
                + " appointedBy: $by, reason: \"cases\"}) { error { code } } }").variable("m", carol).variable("by", support)
                .execute();
        String caseId = ids.as(email).document("mutation($c: ID!) { fileCase(input: {claimantId: $c, relief:"
                + " \"my account was taken over\"}) { case { id } } }").variable("c", member).execute()
                .path("fileCase.case.id").entity(String.class).get();
        ids.as(F[0]).document("mutation($k: ID!, $a: ID!, $by: ID!) { assignArbitrator(input: {caseId: $k,"
                + " arbitratorId: $a, assignedBy: $by}) { error { code } } }").variable("k", caseId).variable("a", carol)
                .variable("by", support).execute().path("assignArbitrator.error").valueIsNull();

        java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
        Disposable subscription = client(email).document("subscription { ledgerEvents { type } }")
                .retrieveSubscription("ledgerEvents").toEntity(Map.class).subscribe(m -> { }, ended::set);
        try {
            Thread.sleep(1_500); // acknowledged, and past the once-a-second check
            ids.as(F[2]).document("mutation($k: ID!, $a: ID!, $m: ID!) { lockAccount(input: {caseId: $k, arbitratorId: $a,"
                    + " memberId: $m, reason: \"identity theft\"}) { error { code } } }").variable("k", caseId)
                    .variable("a", carol).variable("m", member).execute().path("lockAccount.error").valueIsNull();
            long deadline = System.currentTimeMillis() + 10_000;
            while (ended.get() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ended.get()).as("the subscription ended").isInstanceOf(
                    org.springframework.graphql.client.SubscriptionErrorException.class);
            assertThat(((org.springframework.graphql.client.SubscriptionErrorException) ended.get()).getErrors().get(0)
                    .getExtensions()).containsEntry("code", "UNAUTHENTICATED");
        } finally {
            subscription.dispose();
        }
    }

    static String errorCode(WebSocketGraphQlClient client, String document, String memberId) {
        try {
            var request = client.document(document);
            if (memberId != null) {
                request = request.variable("m", memberId);
            }
            request.retrieveSubscription("x").toEntity(Map.class).blockFirst(Duration.ofSeconds(10));
            return "none";
        } catch (org.springframework.graphql.client.SubscriptionErrorException e) {
            return String.valueOf(e.getErrors().get(0).getExtensions().get("code"));
        } catch (org.springframework.graphql.client.FieldAccessException e) {
            return String.valueOf(e.getResponse().getErrors().get(0).getExtensions().get("code"));
        }
    }
}
