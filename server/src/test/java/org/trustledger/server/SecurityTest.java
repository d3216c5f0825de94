package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.trustledger.server.security.AccessRules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what, tested as a whole: every GraphQL operation x every role (allowed and denied), the
 * privacy of each personal field x each role, brute-force limits, CSRF for browser sessions, token
 * revocation and passphrase recovery. Runs against the whole application over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json",
        // Every test client comes from 127.0.0.1: the per-address limit is checked in LoginThrottleTest.
        "trustledger.security.failures-per-address=1000",
        // As behind a reverse proxy on this host (README, "Behind a proxy"): its X-Forwarded-For is believed.
        "server.forward-headers-strategy=native", "server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1"})
@AutoConfigureHttpGraphQlTester
class SecurityTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String[] F = LedgerGraphQlTest.FOUNDERS;

    @Autowired
    HttpGraphQlTester anonymousGraphQl;
    @LocalServerPort
    int port;
    Identities ids;
    LedgerGraphQlTest helper;

    /** The roles of the matrix and the member acting in each (null: not logged in). */
    static final Map<String, String> ROLE_EMAIL = new LinkedHashMap<>();
    static final Map<String, String> ROLE_ID = new HashMap<>();
    static String plainEmail;
    static String assurerEmail;

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    @BeforeEach
    void setUp() {
        ids = new Identities(anonymousGraphQl, port);
        helper = LedgerGraphQlTest.over(ids);
        if (!ROLE_EMAIL.isEmpty() && ROLE_ID.containsKey("support") && port == cachedPort) {
            return;
        }
        cachedPort = port;
        ROLE_EMAIL.clear();
        ROLE_ID.clear();
        String alice = helper.memberId(F[0]);
        String bob = helper.memberId(F[1]);
        String carol = helper.memberId(F[2]);
        appoint(bob, "TTP_ADMIN", alice);
        appoint(carol, "ORGANISATION_ASSURER", alice);
        plainEmail = LedgerGraphQlTest.uniqueEmail();
        String plain = helper.registerAndVerify(plainEmail, "1990-01-01");
        assurerEmail = LedgerGraphQlTest.uniqueEmail();
        String assurer = newAssurer(assurerEmail, "1980-01-01");
        // The Arbitrator holds that role only: an Assurer (as appointment needs), not senior, no other role.
        String arbitratorEmail = LedgerGraphQlTest.uniqueEmail();
        String arbitrator = newAssurer(arbitratorEmail, "1975-05-05");
        appoint(arbitrator, "ARBITRATOR", alice);
        ROLE_EMAIL.put("anonymous", null);
        ROLE_EMAIL.put("member", plainEmail);
        ROLE_EMAIL.put("assurer", assurerEmail);
        ROLE_EMAIL.put("ttpAdmin", F[1]);
        ROLE_EMAIL.put("orgAssurer", F[2]);
        ROLE_EMAIL.put("arbitrator", arbitratorEmail);
        ROLE_EMAIL.put("support", F[0]);
        ROLE_ID.put("member", plain);
        ROLE_ID.put("assurer", assurer);
        ROLE_ID.put("ttpAdmin", bob);
        ROLE_ID.put("orgAssurer", carol);
        ROLE_ID.put("arbitrator", arbitrator);
        ROLE_ID.put("support", alice);
    }

    /** A new member made an Assurer: 3 x 35 points from the founders and a passed challenge. */
    String newAssurer(String email, String dob) {
        String id = helper.registerAndVerify(email, dob);
        for (String f : F) {
            ids.as(f).documentName("recordAssurance").variable("input", helper.assurance(helper.memberId(f), email,
                    dob, 35)).execute().path("recordAssurance.error").valueIsNull();
        }
        ids.as(F[0]).documentName("recordAssurerChallenge").variable("input", Map.of("memberId", id,
                "scorePercent", 90)).execute().path("recordAssurerChallenge.member.status").entity(String.class)
                .isEqualTo("ASSURER");
        return id;
    }

    static int cachedPort;

    void appoint(String member, String role, String by) {
        ids.as(F[0]).document("mutation($m: ID!, $r: Role!, $by: ID!) { appointRole(input: {memberId: $m, role: $r,"
                + " appointedBy: $by, reason: \"for the matrix\"}) { error { code } } }").variable("m", member)
                .variable("r", role).variable("by", by).execute();
    }

    HttpGraphQlTester tester(String role) {
        String email = ROLE_EMAIL.get(role);
        return email == null ? ids.anonymous() : ids.as(email);
    }


    // ---- privacy: each personal field x each role ----------------------------------------------------

    @Test
    void a_members_personal_fields_are_visible_to_themselves_support_and_their_arbitrator_only() {
        String subject = ROLE_ID.get("member");
        // The Arbitrator is assigned to a case the member filed; the Assurer has none.
        String caseId = ids.as(plainEmail).document("mutation($c: ID!) { fileCase(input: {claimantId: $c, relief:"
                + " \"privacy test\"}) { case { id } } }").variable("c", subject).execute()
                .path("fileCase.case.id").entity(String.class).get();
        ids.as(F[0]).document("mutation($k: ID!, $a: ID!, $by: ID!) { assignArbitrator(input: {caseId: $k,"
                + " arbitratorId: $a, assignedBy: $by}) { error { code } } }").variable("k", caseId)
                .variable("a", ROLE_ID.get("arbitrator")).variable("by", ROLE_ID.get("support")).execute()
                .path("assignArbitrator.error").valueIsNull();
        String query = "query($m: ID!) { member(id: $m) { id status points { total } rights { clientCertificate } name {"
                + " familyName } dateOfBirth emails verifiedDomains certificates { serial } assurancesReceived {"
                + " totalCount } locked blockedAsAssurer parentalConsent deleted accountExpired } }";
        Map<String, Set<String>> seenBy = Map.of("member", Set.of("member"), "support", Set.of("member"),
                "arbitrator", Set.of("member"));
        List<String> wrong = new ArrayList<>();
        for (String role : List.of("member", "assurer", "ttpAdmin", "orgAssurer", "arbitrator", "support")) {
            JsonNode m = post(ROLE_EMAIL.get(role), query, null, null, Map.of("m", subject)).path("data").path("member");
            boolean sees = seenBy.containsKey(role);
            check(wrong, role, "status", !m.path("status").isNull(), true);
            check(wrong, role, "points", !m.path("points").isNull(), sees);
            check(wrong, role, "rights", !m.path("rights").isNull(), sees);
            check(wrong, role, "name", !m.path("name").isNull(), sees);
            check(wrong, role, "dateOfBirth", !m.path("dateOfBirth").isNull(), sees);
            check(wrong, role, "emails", !m.path("emails").isNull(), sees);
            for (String flag : List.of("locked", "blockedAsAssurer", "parentalConsent", "deleted", "accountExpired")) {
                check(wrong, role, flag, !m.path(flag).isNull(), sees);
            }
            check(wrong, role, "assurancesReceived", m.path("assurancesReceived").path("totalCount").asInt() > 0, false);
        }
        // The Assurer's own assurances are visible to them; to an uninvolved member they are not.
        JsonNode assurer = post(assurerEmail, query, null, null, Map.of("m", ROLE_ID.get("assurer"))).path("data")
                .path("member");
        check(wrong, "assurer (self)", "assurancesReceived", assurer.path("assurancesReceived").path("totalCount").asInt() == 3, true);
        JsonNode seenByMember = post(plainEmail, query, null, null, Map.of("m", ROLE_ID.get("assurer"))).path("data")
                .path("member");
        check(wrong, "member (other)", "assurancesReceived", seenByMember.path("assurancesReceived").path("totalCount").asInt() > 0, false);
        check(wrong, "member (other)", "emails", !seenByMember.path("emails").isNull(), false);
        assertThat(wrong).isEmpty();
        // memberByEmail answers the member and support only; the same null for unknown addresses.
        String byEmail = "query($e: String!) { memberByEmail(email: $e) { id } }";
        assertThat(post(assurerEmail, byEmail, null, null, Map.of("e", plainEmail)).path("data").path("memberByEmail").isNull()).isTrue();
        assertThat(post(assurerEmail, byEmail, null, null, Map.of("e", "nobody@example.org")).path("data").path("memberByEmail").isNull()).isTrue();
        assertThat(post(plainEmail, byEmail, null, null, Map.of("e", plainEmail)).path("data").path("memberByEmail").path("id").asString())
                .isEqualTo(subject);
        assertThat(post(F[0], byEmail, null, null, Map.of("e", plainEmail)).path("data").path("memberByEmail").path("id").asString())
                .isEqualTo(subject);
    }

    static void check(List<String> wrong, String role, String field, boolean visible, boolean expected) {
        if (visible != expected) {
            wrong.add(field + " as " + role + ": " + (visible ? "visible" : "hidden") + ", expected " + (expected ? "visible" : "hidden"));
        }
    }

    // ---- credentials ----------------------------------------------------------------------------------

    HttpResponse<String> auth(HttpClient client, String path, Map<String, Object> body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(client, b.build());
    }

    /** Probing which addresses have accounts through addEmail (or dates of birth through assurances) is throttled. */
    @Test
    void probing_addresses_through_add_email_is_throttled_per_member() {
        String prober = LedgerGraphQlTest.uniqueEmail();
        String id = helper.registerAndVerify(prober, "1994-04-04");
        String add = "mutation($m: ID!, $e: String!) { addEmail(input: {memberId: $m, email: $e}) { error { code } } }";
        for (int i = 0; i < 10; i++) {
            assertThat(post(prober, add, id, null, Map.of("m", id, "e", plainEmail)).path("data").path("addEmail")
                    .path("error").path("code").asString()).isEqualTo("EMAIL_ALREADY_REGISTERED");
        }
        assertThat(post(prober, add, id, null, Map.of("m", id, "e", assurerEmail)).path("data").path("addEmail")
                .path("error").path("code").asString()).as("the eleventh probe").isEqualTo("TOO_MANY_ATTEMPTS");
    }

    @Test
    void wrong_and_unknown_credentials_read_the_same_and_repeated_failures_are_blocked() {
        String email = LedgerGraphQlTest.uniqueEmail();
        helper.registerAndVerify(email, "1993-03-03");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> wrong = auth(client, "/auth/tokens", Map.of("email", email, "passphrase", "not the passphrase"));
        HttpResponse<String> unknown = auth(client, "/auth/tokens", Map.of("email", "nobody-" + email, "passphrase", "whatever it is"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body());
        for (int i = 0; i < 4; i++) {
            auth(client, "/auth/login", Map.of("email", email, "passphrase", "still not it " + i));
        }
        HttpResponse<String> blocked = auth(client, "/auth/tokens", Map.of("email", email, "passphrase",
                Identities.MEMBER_PASSPHRASE));
        assertThat(blocked.statusCode()).as("even the right passphrase waits out the window").isEqualTo(429);
        assertThat(blocked.body()).contains("TOO_MANY_ATTEMPTS");
        // Another account from the same address is not affected by this account's lock.
        assertThat(auth(client, "/auth/tokens", Map.of("email", assurerEmail, "passphrase",
                Identities.MEMBER_PASSPHRASE)).statusCode()).isEqualTo(201);
    }

    @Test
    void a_revoked_or_bogus_bearer_token_is_refused_and_never_treated_as_anonymous() {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> created = auth(client, "/auth/tokens", Map.of("email", plainEmail, "passphrase",
                Identities.MEMBER_PASSPHRASE, "label", "laptop", "validityDays", 7));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode token = JSON.readTree(created.body());
        HttpResponse<String> ok = meWithBearer(client, token.get("token").asString());
        assertThat(ok.body()).contains(ROLE_ID.get("member"));
        HttpResponse<String> revoked = send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/auth/tokens/" + token.get("id").asString())).header("Authorization", "Bearer " + token.get("token").asString())
                .DELETE().build());
        assertThat(revoked.statusCode()).isEqualTo(200);
        for (String bearer : List.of(token.get("token").asString(), "tl_forged", "something else")) {
            HttpResponse<String> refused = meWithBearer(client, bearer);
            assertThat(refused.statusCode()).as(bearer).isEqualTo(401);
            assertThat(refused.body()).contains("UNAUTHENTICATED");
        }
    }

    /** {@code { me { id } }} over HTTP with the bearer token given. */
    HttpResponse<String> meWithBearer(HttpClient client, String bearer) {
        return send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ me { id } }\"}")).build());
    }

    /**
     * A bearer-token request is stateless: it used to be answered with a new session cookie (one session
     * per API request), and that cookie went on authenticating after the token was revoked.
     */
    @Test
    void a_bearer_token_request_opens_no_session() {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> created = auth(client, "/auth/tokens", Map.of("email", plainEmail, "passphrase",
                Identities.MEMBER_PASSPHRASE, "label", "script", "validityDays", 1));
        JsonNode token = JSON.readTree(created.body());
        HttpResponse<String> ok = meWithBearer(client, token.get("token").asString());
        assertThat(ok.body()).contains(ROLE_ID.get("member"));
        assertThat(ok.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("JSESSIONID"));
        // Nor a CSRF token: nothing rides on ambient credentials here, and no browser will read it.
        assertThat(ok.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void a_browser_session_needs_the_csrf_token_for_every_graphql_request() {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> login = auth(browser, "/auth/login", Map.of("email", plainEmail, "passphrase",
                Identities.MEMBER_PASSPHRASE));
        assertThat(login.statusCode()).isEqualTo(200);
        HttpResponse<String> csrf = send(browser, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/auth/csrf")).GET().build());
        String token = JSON.readTree(csrf.body()).get("token").asString();
        Map<String, Object> query = Map.of("query", "{ me { id } }");
        HttpResponse<String> forged = auth(browser, "/graphql", query);
        assertThat(forged.statusCode()).as("a cross-site request riding on the session cookie").isEqualTo(403);
        HttpResponse<String> real = auth(browser, "/graphql", query, "X-XSRF-TOKEN", token);
        assertThat(real.statusCode()).isEqualTo(200);
        assertThat(real.body()).contains(ROLE_ID.get("member"));
        assertThat(auth(browser, "/auth/logout", Map.of(), "X-XSRF-TOKEN", token).statusCode()).isEqualTo(200);
        assertThat(auth(browser, "/graphql", query, "X-XSRF-TOKEN", token).body()).contains("UNAUTHENTICATED");
    }

    // ---- passphrase recovery --------------------------------------------------------------------------

    String recovery = "mutation($e: String!, $d: Date!) { startPassphraseRecovery(email: $e, dateOfBirth: $d) {"
            + " recoveryId questions error { code } } }";
    String complete = "mutation($r: ID!, $a: [String!]!, $p: String!) { completePassphraseRecovery(recoveryId: $r,"
            + " answers: $a, newPassphrase: $p) { reset error { code message } } }";

    List<String> answersFor(JsonNode questions, boolean right) {
        List<String> answers = new ArrayList<>();
        for (JsonNode q : questions) {
            String n = q.asString().replaceAll("\\D", "");
            answers.add(right ? "  ANSWER " + n + " " : "wrong");
        }
        return answers;
    }

    @Test
    void a_lost_passphrase_is_recovered_with_email_date_of_birth_and_three_answers() {
        String email = LedgerGraphQlTest.uniqueEmail();
        helper.registerAndVerify(email, "1981-01-01");
        JsonNode wrongDob = post(null, recovery, null, null, Map.of("e", email, "d", "1981-01-02"))
                .path("data").path("startPassphraseRecovery");
        JsonNode unknown = post(null, recovery, null, null, Map.of("e", "x" + email, "d", "1981-01-01"))
                .path("data").path("startPassphraseRecovery");
        assertThat(wrongDob.path("error")).isEqualTo(unknown.path("error"));
        assertThat(wrongDob.path("error").path("code").asString()).isEqualTo("RECOVERY_FAILED");
        JsonNode started = post(null, recovery, null, null, Map.of("e", email, "d", "1981-01-01"))
                .path("data").path("startPassphraseRecovery");
        assertThat(started.path("questions").size()).isEqualTo(3);
        String newPassphrase = "a brand new passphrase for " + email;
        JsonNode weak = post(null, complete, null, null, Map.of("r", started.path("recoveryId").asString(),
                "a", answersFor(started.path("questions"), true), "p", "password123456")).path("data")
                .path("completePassphraseRecovery");
        assertThat(weak.path("error").path("code").asString()).isEqualTo("PASSPHRASE_TOO_COMMON");
        JsonNode done = post(null, complete, null, null, Map.of("r", started.path("recoveryId").asString(),
                "a", answersFor(started.path("questions"), true), "p", newPassphrase)).path("data")
                .path("completePassphraseRecovery");
        assertThat(done.path("reset").asBoolean()).as(done.toString()).isTrue();
        HttpClient client = HttpClient.newHttpClient();
        assertThat(auth(client, "/auth/tokens", Map.of("email", email, "passphrase", newPassphrase)).statusCode()).isEqualTo(201);
        assertThat(auth(client, "/auth/tokens", Map.of("email", email, "passphrase", Identities.MEMBER_PASSPHRASE))
                .statusCode()).isEqualTo(401);
        // The recovery cannot be replayed.
        assertThat(post(null, complete, null, null, Map.of("r", started.path("recoveryId").asString(),
                "a", answersFor(started.path("questions"), true), "p", newPassphrase + "!")).path("data")
                .path("completePassphraseRecovery").path("reset").asBoolean()).isFalse();
    }

    @Test
    void repeated_wrong_answers_lock_recovery_record_every_attempt_and_alert_support() {
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper.registerAndVerify(email, "1982-02-02");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode started = post(null, recovery, null, null, Map.of("e", email, "d", "1982-02-02"))
                    .path("data").path("startPassphraseRecovery");
            assertThat(started.path("questions").size()).as(started.toString()).isEqualTo(3);
            codes.add(post(null, complete, null, null, Map.of("r", started.path("recoveryId").asString(),
                    "a", answersFor(started.path("questions"), false), "p", "a fresh passphrase " + i)).path("data")
                    .path("completePassphraseRecovery").path("error").path("code").asString());
        }
        assertThat(codes).containsExactly("RECOVERY_FAILED", "RECOVERY_FAILED", "RECOVERY_LOCKED");
        // Locked, even the right details are refused exactly as an address nobody has.
        JsonNode locked = post(null, recovery, null, null, Map.of("e", email, "d", "1982-02-02"))
                .path("data").path("startPassphraseRecovery");
        JsonNode unknown = post(null, recovery, null, null, Map.of("e", "nobody-" + email, "d", "1982-02-02"))
                .path("data").path("startPassphraseRecovery");
        assertThat(locked.path("recoveryId").isNull()).isTrue();
        assertThat(locked.path("error")).isEqualTo(unknown.path("error"));
        // History and outbox are projected asynchronously, as real mail arrives: wait for them.
        List<String> events = awaitHistory(member, "RecoveryAttemptRefused",
                "Passphrase recovery locked for member " + member);
        assertThat(events).contains("RecoveryStarted", "RecoveryAttemptFailed", "RecoveryLocked", "RecoveryAttemptRefused");
    }

    @Test
    void wrong_dates_of_birth_pause_recovery_without_locking_it_and_support_reads_every_attempt() {
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper.registerAndVerify(email, "1983-03-03");
        // Through the proxy: the attempt is counted and logged for the client the proxy names.
        JsonNode unknown = JSON.readTree(send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/graphql")).header("Content-Type", "application/json")
                .header("X-Forwarded-For", "198.51.100.23")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", recovery, "variables",
                        Map.of("e", "nobody-" + email, "d", "1983-03-03"))))).build()).body())
                .path("data").path("startPassphraseRecovery");
        for (int i = 1; i <= 3; i++) {
            JsonNode wrong = post(null, recovery, null, null, Map.of("e", email, "d", "1983-03-1" + i))
                    .path("data").path("startPassphraseRecovery");
            assertThat(wrong.path("error")).isEqualTo(unknown.path("error"));
        }
        // Paused: the right date of birth now answers exactly as a wrong one, so trying dates teaches nothing.
        JsonNode paused = post(null, recovery, null, null, Map.of("e", email, "d", "1983-03-03"))
                .path("data").path("startPassphraseRecovery");
        assertThat(paused.path("recoveryId").isNull()).isTrue();
        assertThat(paused.path("error")).isEqualTo(unknown.path("error"));
        List<String> events = awaitHistory(member, "RecoveryHeld", "Passphrase recovery paused for member " + member);
        assertThat(events).contains("RecoveryIdentificationFailed", "RecoveryHeld", "RecoveryAttemptRefused")
                .doesNotContain("RecoveryLocked");
        // Logging in still works: knowing the address did not lock the owner out.
        assertThat(auth(HttpClient.newHttpClient(), "/auth/tokens", Map.of("email", email, "passphrase",
                Identities.MEMBER_PASSPHRASE)).statusCode()).isEqualTo(201);

        // Support reads every attempt, also those for an address nobody has.
        String attempts = "query($e: String!) { recoveryAttempts(email: $e) { at step email address outcome } }";
        JsonNode mine = post(F[0], attempts, null, null, Map.of("e", email)).path("data").path("recoveryAttempts");
        assertThat(mine.size()).as(mine.toString()).isEqualTo(4);
        for (JsonNode a : mine) {
            assertThat(a.path("step").asString()).isEqualTo("START");
            assertThat(a.path("outcome").asString()).isEqualTo("RECOVERY_FAILED");
            assertThat(a.path("address").asString()).isEqualTo("127.0.0.1");
        }
        JsonNode nobody = post(F[0], attempts, null, null, Map.of("e", "Nobody-" + email)).path("data")
                .path("recoveryAttempts");
        assertThat(nobody.size()).isEqualTo(1);
        assertThat(nobody.path(0).path("address").asString()).isEqualTo("198.51.100.23");
        assertThat(post(plainEmail, attempts, null, null, Map.of("e", email)).path("errors").path(0).path("extensions")
                .path("code").asString()).isEqualTo("FORBIDDEN");
    }

    /** The member's event names, once the history shows {@code event} and support's outbox {@code alert}. */
    List<String> awaitHistory(String member, String event, String alert) {
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> events = new ArrayList<>();
        String alerts = "";
        while (System.currentTimeMillis() < deadline && (!events.contains(event) || !alerts.contains(alert))) {
            events.clear();
            for (JsonNode e : post(F[0], "query($m: ID!) { memberHistory(memberId: $m) { event } }", null, null,
                    Map.of("m", member)).path("data").path("memberHistory")) {
                events.add(e.path("event").asString());
            }
            alerts = post(F[0], "{ devOutbox(to: \"support@localhost\") { subject } }", null, null, Map.of())
                    .path("data").path("devOutbox").toString();
        }
        assertThat(events).contains(event);
        assertThat(alerts).contains(alert);
        return events;
    }

    // ---- the authorization matrix -------------------------------------------------------------------

    /** Each role held by its own member; founders are Senior Assurers (support, TTP admin, Organisation Assurer). */
    static final Set<String> ALL = Set.of("anonymous", "member", "assurer", "ttpAdmin", "orgAssurer", "arbitrator",
            "support");
    static final Set<String> LOGGED_IN = Set.of("member", "assurer", "ttpAdmin", "orgAssurer", "arbitrator", "support");
    static final Set<String> ASSURERS = Set.of("assurer", "ttpAdmin", "orgAssurer", "arbitrator", "support");
    static final Set<String> SENIOR = Set.of("ttpAdmin", "orgAssurer", "support");

    /** One row: the operation, a document using $me (the caller's id) and $other, and who may run it. */
    record Row(String operation, String document, Set<String> allowed) {
    }

    static final String CASE = "\"a19990101.1\"";
    static final List<Row> ROWS = List.of(
            new Row("Query.member", "query($other: ID!) { member(id: $other) { id status } }", LOGGED_IN),
            new Row("Query.me", "{ me { id } }", LOGGED_IN),
            new Row("Query.memberByEmail", "{ memberByEmail(email: \"x@example.org\") { id } }", LOGGED_IN),
            new Row("Query.assurance", "{ assurance(id: \"x\") { id } }", LOGGED_IN),
            new Row("Query.arbitrationCase", "{ arbitrationCase(id: " + CASE + ") { id } }", LOGGED_IN),
            new Row("Query.certificate", "{ certificate(serial: \"01\") { serial } }", LOGGED_IN),
            new Row("Query.certificateRequest", "{ certificateRequest(id: \"x\") { outcome } }", LOGGED_IN),
            new Row("Query.organisation", "{ organisation(id: \"x\") { id } }", LOGGED_IN),
            new Row("Query.caCertificates", "{ caCertificates { name } }", ALL),
            new Row("Query.trustGraph", "{ trustGraph(first: 1) { totalEdges nodes { id } } }", ALL),
            new Row("Query.ledgerStats", "{ ledgerStats { members events } }", ALL),
            new Row("Query.assurerChallengeResults", "query($me: ID!) { assurerChallengeResults(memberId: $me) { attemptId } }",
                    LOGGED_IN),
            new Row("Query.assurerChallengeResults (another member's)", "query($other: ID!) { assurerChallengeResults("
                    + "memberId: $other) { attemptId } }", Set.of("support")),
            // Another member's history: support; an Arbitrator only in a case of that member (ArbitrationGraphQlTest).
            new Row("Query.pointsAsOf", "query($other: ID!) { pointsAsOf(memberId: $other, at: \"2026-01-01T00:00:00Z\","
                    + " view: AS_RECORDED) { status } }", Set.of("support")),
            new Row("Query.pointsAsOf (their own)", "query($me: ID!) { pointsAsOf(memberId: $me, at: \"2026-01-01T00:00:00Z\","
                    + " view: AS_RECORDED) { status } }", LOGGED_IN),
            new Row("Query.memberHistory", "query($other: ID!) { memberHistory(memberId: $other) { event } }",
                    Set.of("support")),
            new Row("Query.memberHistory (their own)", "query($me: ID!) { memberHistory(memberId: $me) { event } }",
                    LOGGED_IN),
            new Row("Query.voidingImpact", "{ voidingImpact(assuranceId: \"x\") { certificatesLosingBacking } }",
                    Set.of("arbitrator", "support")),
            new Row("Query.projectionStatus", "{ projectionStatus { name } }", Set.of("support")),
            new Row("Query.devOutbox", "{ devOutbox(to: \"x@example.org\") { subject } }", Set.of("support")),
            new Row("Query.recoveryAttempts", "{ recoveryAttempts(email: \"x@example.org\") { outcome } }", Set.of("support")),
            new Row("Mutation.registerMember", "mutation { registerMember(input: {givenNames: \"A\", familyName: \"B\","
                    + " dateOfBirth: \"1990-01-01\", email: \"bad\", passphrase: \"x\", securityQuestions: []}) { error { code } } }",
                    ALL),
            new Row("Mutation.verifyEmail", "mutation { verifyEmail(token: \"x\") { error { code } } }", ALL),
            new Row("Mutation.verifyDomain", "mutation { verifyDomain(token: \"x\") { error { code } } }", ALL),
            new Row("Mutation.verifyOrganisationDomain", "mutation { verifyOrganisationDomain(token: \"x\") { error { code } } }",
                    ALL),
            new Row("Mutation.startPassphraseRecovery", "mutation { startPassphraseRecovery(email: \"nobody@example.org\","
                    + " dateOfBirth: \"1990-01-01\") { error { code } } }", ALL),
            new Row("Mutation.completePassphraseRecovery", "mutation { completePassphraseRecovery(recoveryId: \"x\","
                    + " answers: [], newPassphrase: \"x\") { reset } }", ALL),
            new Row("Mutation.addEmail", "mutation($me: ID!) { addEmail(input: {memberId: $me, email: \"bad\"}) { error { code } } }",
                    LOGGED_IN),
            new Row("Mutation.addEmail (for another member)", "mutation($other: ID!) { addEmail(input: {memberId: $other,"
                    + " email: \"bad\"}) { error { code } } }", Set.of()),
            new Row("Mutation.correctMemberDetails", "mutation($me: ID!) { correctMemberDetails(input: {memberId: $me,"
                    + " givenNames: \"\", familyName: \"\", dateOfBirth: \"1990-01-01\"}) { error { code } } }", LOGGED_IN),
            new Row("Mutation.recordAssurance", "mutation($me: ID!) { recordAssurance(input: {assurerId: $me, assureeEmail:"
                    + " \"nobody@example.org\", assureeDateOfBirth: \"1990-01-01\", date: \"2026-11-20\", location: \"x\","
                    + " points: 1, documents: [\"passport\"], assureeAgreedToCommunityAgreement: true,"
                    + " assurerSawOriginalDocuments: true}) { error { code } } }", ASSURERS),
            new Row("Mutation.recordAssurance (as another assurer)", "mutation($other: ID!) { recordAssurance(input: {"
                    + "assurerId: $other, assureeEmail: \"nobody@example.org\", assureeDateOfBirth: \"1990-01-01\", date:"
                    + " \"2026-11-20\", location: \"x\", points: 1, documents: [\"passport\"],"
                    + " assureeAgreedToCommunityAgreement: true, assurerSawOriginalDocuments: true}) { error { code } } }",
                    Set.of()),
            new Row("Mutation.recordTtpAssurance", "mutation($me: ID!) { recordTtpAssurance(input: {adminId: $me,"
                    + " assureeEmail: \"nobody@example.org\", assureeDateOfBirth: \"1990-01-01\", ttpName: \"N\", ttpKind:"
                    + " \"notary\", country: \"DE\", date: \"2026-11-20\", documents: [\"passport\"], points: 1}) { error { code } } }",
                    Set.of("ttpAdmin")),
            new Row("Mutation.recordTopUp", "mutation($me: ID!) { recordTopUp(input: {seniorAssurerId: $me, assureeEmail:"
                    + " \"nobody@example.org\", assureeDateOfBirth: \"1990-01-01\", date: \"2026-11-20\", points: 1})"
                    + " { error { code } } }", SENIOR),
            new Row("Mutation.recordAssurerChallenge", "mutation { recordAssurerChallenge(input: {memberId: \"nobody\","
                    + " scorePercent: 80}) { error { code } } }", Set.of("support")),
            new Row("Mutation.appointRole", "mutation($me: ID!) { appointRole(input: {memberId: \"nobody\", role: SUPPORT,"
                    + " appointedBy: $me, reason: \"x\"}) { error { code } } }", Set.of("support")),
            new Row("Mutation.withdrawRole", "mutation($me: ID!) { withdrawRole(input: {memberId: \"nobody\", role: SUPPORT,"
                    + " withdrawnBy: $me, reason: \"x\"}) { error { code } } }", Set.of("support")),
            new Row("Mutation.setCodeSigning", "mutation($me: ID!) { setCodeSigning(input: {memberId: \"nobody\", enabled:"
                    + " true, setBy: $me, reason: \"x\"}) { error { code } } }", Set.of("support")),
            new Row("Mutation.recordParentalConsent", "mutation($me: ID!) { recordParentalConsent(input: {memberId:"
                    + " \"nobody\", guardianName: \"G\", recordedBy: $me}) { error { code } } }", ASSURERS),
            new Row("Mutation.fileCase", "mutation($me: ID!) { fileCase(input: {claimantId: $me, relief: \"\"}) { error { code } } }",
                    LOGGED_IN),
            new Row("Mutation.fileCase (for another member)", "mutation($other: ID!) { fileCase(input: {claimantId: $other,"
                    + " relief: \"\"}) { error { code } } }", Set.of("support")),
            new Row("Mutation.assignArbitrator", "mutation($me: ID!) { assignArbitrator(input: {caseId: " + CASE + ","
                    + " arbitratorId: \"nobody\", assignedBy: $me}) { error { code } } }", Set.of("support")),
            ruling("voidAssurance", "assuranceId: \"x\", reason: \"r\""),
            ruling("adjustPoints", "memberId: \"nobody\", assurancePointsDelta: 1, experiencePointsDelta: 0, reason: \"r\""),
            ruling("blockAssurer", "memberId: \"nobody\", reason: \"r\""),
            ruling("unblockAssurer", "memberId: \"nobody\", reason: \"r\""),
            ruling("lockAccount", "memberId: \"nobody\", reason: \"r\""),
            ruling("changeMemberName", "memberId: \"nobody\", givenNames: \"A\", familyName: \"B\", reason: \"r\""),
            ruling("changeMemberDateOfBirth", "memberId: \"nobody\", dateOfBirth: \"1990-01-01\", reason: \"r\""),
            ruling("deleteAccount", "memberId: \"nobody\", reason: \"r\""),
            ruling("revokeCertificates", "memberId: \"nobody\", reason: \"r\""),
            ruling("closeCase", "resolution: \"r\""),
            new Row("Mutation.startAssurerChallenge", "mutation($me: ID!) { startAssurerChallenge(memberId: $me) {"
                    + " error { code } } }", LOGGED_IN),
            new Row("Mutation.submitAssurerChallenge", "mutation($me: ID!) { submitAssurerChallenge(input: {memberId: $me,"
                    + " attemptId: \"x\", answers: []}) { error { code } } }", LOGGED_IN),
            new Row("Mutation.requestCertificate", "mutation($me: ID!) { requestCertificate(input: {memberId: $me, kind:"
                    + " CLIENT, csr: \"garbage\"}) { error { code } } }", LOGGED_IN),
            new Row("Mutation.requestCertificate (for another member)", "mutation($other: ID!) { requestCertificate(input:"
                    + " {memberId: $other, kind: CLIENT, csr: \"garbage\"}) { error { code } } }", Set.of()),
            new Row("Mutation.revokeCertificate", "mutation($me: ID!) { revokeCertificate(serial: \"01\", reason:"
                    + " KEY_COMPROMISE, requestedBy: $me) { error { code } } }", LOGGED_IN),
            new Row("Mutation.addDomain", "mutation($me: ID!) { addDomain(memberId: $me, domain: \"bad\", approver:"
                    + " \"root\") { error { code } } }", LOGGED_IN),
            new Row("Mutation.signOpenPgpKey", "mutation($me: ID!) { signOpenPgpKey(memberId: $me, publicKey: \"x\") {"
                    + " error { code } } }", LOGGED_IN),
            new Row("Mutation.assureOrganisation", "mutation($me: ID!) { assureOrganisation(input: {assurerId: $me, name:"
                    + " \"\", country: \"XX\", locality: \"\", adminIds: []}) { error { code } } }", Set.of("orgAssurer")),
            new Row("Mutation.changeOrganisationAdmin", "mutation($me: ID!) { changeOrganisationAdmin(organisationId: \"x\","
                    + " memberId: \"nobody\", admin: true, changedBy: $me) { error { code } } }", Set.of("orgAssurer")),
            new Row("Mutation.addOrganisationDomain", "mutation($me: ID!) { addOrganisationDomain(organisationId: \"x\","
                    + " domain: \"bad\", approver: \"root\", requestedBy: $me) { error { code } } }", LOGGED_IN),
            new Row("Mutation.rebuildProjections", "mutation { rebuildProjections { name } }", Set.of("support")));

    static Row ruling(String mutation, String fields) {
        return new Row("Mutation." + mutation, "mutation($me: ID!) { " + mutation + "(input: {caseId: " + CASE + ","
                + " arbitratorId: $me, " + fields + "}) { error { code } } }", Set.of("arbitrator"));
    }

    @Test
    void every_operation_times_every_role_is_allowed_or_denied_as_the_readme_table_says() {
        List<String> wrong = new ArrayList<>();
        for (Row row : ROWS) {
            for (String role : ALL) {
                String me = ROLE_ID.get(role);
                String other = role.equals("support") ? ROLE_ID.get("member") : ROLE_ID.get("support");
                JsonNode response = post(ROLE_EMAIL.get(role), row.document(), me, other);
                if (response.toString().contains("GRAPHQL_VALIDATION_FAILED") || response.toString().contains("INTERNAL")) {
                    wrong.add(row.operation() + " as " + role + ": the document itself is wrong: " + response);
                }
                String denial = denial(response);
                boolean allowed = denial == null;
                if (allowed != row.allowed().contains(role)) {
                    wrong.add(row.operation() + " as " + role + ": " + (allowed ? "allowed" : denial) + " " + response);
                }
                if (!allowed && role.equals("anonymous") && !row.allowed().isEmpty() && !denial.equals("UNAUTHENTICATED")
                        && !row.allowed().equals(ALL)) {
                    wrong.add(row.operation() + " as anonymous: expected UNAUTHENTICATED, got " + denial);
                }
            }
        }
        assertThat(wrong).as("matrix mismatches").isEmpty();
    }

    /** The subscriptions, as every role, over a real graphql-transport-ws client (what each sees: SubscriptionTest). */
    @Test
    void every_subscription_times_every_role_is_allowed_or_denied() throws Exception {
        List<Row> rows = List.of(
                new Row("Subscription.ledgerEvents", "subscription { ledgerEvents { type } }", LOGGED_IN),
                new Row("Subscription.pointsChanged (their own)", "subscription($me: ID!) { pointsChanged(memberId: $me)"
                        + " { total } }", LOGGED_IN),
                new Row("Subscription.pointsChanged (another member's)", "subscription($other: ID!) { pointsChanged("
                        + "memberId: $other) { total } }", Set.of("support")));
        Map<String, String> denials = new java.util.concurrent.ConcurrentHashMap<>();
        List<reactor.core.Disposable> open = new ArrayList<>();
        try {
            for (Row row : rows) {
                for (String role : ALL) {
                    String key = row.operation() + " as " + role;
                    String email = ROLE_EMAIL.get(role);
                    var builder = org.springframework.graphql.client.WebSocketGraphQlClient.builder("ws://127.0.0.1:" + port
                            + "/graphql-ws", new org.springframework.web.reactive.socket.client.StandardWebSocketClient());
                    if (email != null) {
                        builder.header("Authorization", "Bearer " + Identities.token(port, email,
                                Identities.FOUNDER_PASSPHRASES.getOrDefault(email, Identities.MEMBER_PASSPHRASE)));
                    }
                    var request = builder.build().document(row.document());
                    if (row.document().contains("$me")) {
                        request = request.variable("me", ROLE_ID.getOrDefault(role, "anonymous"));
                    }
                    if (row.document().contains("$other")) {
                        request = request.variable("other", role.equals("support") ? ROLE_ID.get("member")
                                : ROLE_ID.get("support"));
                    }
                    open.add(request.executeSubscription().subscribe(response -> {
                        String code = denial(JSON.valueToTree(response.toMap()));
                        if (code != null) {
                            denials.put(key, code);
                        }
                    }, error -> denials.put(key, subscriptionCode(error))));
                }
            }
            Thread.sleep(3_000); // refusals arrive at once; an allowed subscription stays open and silent
        } finally {
            open.forEach(reactor.core.Disposable::dispose);
        }
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            for (String role : ALL) {
                String denial = denials.get(row.operation() + " as " + role);
                boolean expected = row.allowed().contains(role);
                if ((denial == null) != expected) {
                    wrong.add(row.operation() + " as " + role + ": " + (denial == null ? "allowed" : denial));
                }
                if (role.equals("anonymous") && !"UNAUTHENTICATED".equals(denial)) {
                    wrong.add(row.operation() + " as anonymous: expected UNAUTHENTICATED, got " + denial);
                }
            }
        }
        assertThat(wrong).as("subscription matrix mismatches").isEmpty();
    }

    static String subscriptionCode(Throwable error) {
        if (error instanceof org.springframework.graphql.client.SubscriptionErrorException e && !e.getErrors().isEmpty()) {
            return String.valueOf(e.getErrors().get(0).getExtensions().get("code"));
        }
        return "failed: " + error;
    }

    @Test
    void every_schema_operation_has_a_rule_a_matrix_row_and_a_readme_line() throws Exception {
        Set<String> schemaOps = new TreeSet<>();
        try (var files = Files.list(Path.of("../graphql-schema/src/main/resources/graphql"))) {
            for (Path f : files.toList()) {
                String s = Files.readString(f).replaceAll("(?s)\"\"\".*?\"\"\"", "").replaceAll("\"[^\"\\n]*\"", "");
                Matcher type = Pattern.compile("(?s)type\\s+(Query|Mutation)\\s*\\{(.*?)\\n\\}").matcher(s);
                while (type.find()) {
                    String fields = type.group(2).replaceAll("(?s)\\(.*?\\)", "()"); // argument lists span lines
                    Matcher field = Pattern.compile("(?m)^\\s*(\\w+)\\s*[(:]").matcher(fields);
                    while (field.find()) {
                        schemaOps.add(type.group(1) + "." + field.group(1));
                    }
                }
            }
        }
        assertThat(schemaOps).hasSizeGreaterThan(50);
        Set<String> tested = new TreeSet<>();
        ROWS.forEach(r -> tested.add(r.operation().split(" ")[0]));
        assertThat(AccessRules.all().keySet()).as("every operation has a rule").containsAll(schemaOps);
        assertThat(tested).as("every operation is in the matrix").containsAll(schemaOps);
        String readme = Files.readString(Path.of("../README.md"));
        for (String op : schemaOps) {
            assertThat(readme).as("README authorization table names " + op).contains("`" + op.substring(op.indexOf('.') + 1) + "`");
        }
    }

    /** The denial code of a response (FORBIDDEN or UNAUTHENTICATED), or null when the call was let through. */
    static String denial(JsonNode response) {
        JsonNode errors = response.get("errors");
        if (errors == null) {
            return null;
        }
        for (JsonNode e : errors) {
            String code = e.path("extensions").path("code").asString("");
            if (code.equals("FORBIDDEN") || code.equals("UNAUTHENTICATED")) {
                return code;
            }
        }
        return null;
    }

    JsonNode post(String email, String document, String me, String other) {
        return post(email, document, me, other, Map.of());
    }

    JsonNode post(String email, String document, String me, String other, Map<String, Object> extra) {
        Map<String, Object> vars = new HashMap<>(extra);
        if (document.contains("$me")) {
            vars.put("me", me == null ? "anonymous" : me);
        }
        if (document.contains("$other")) {
            vars.put("other", other);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", document, "variables", vars))));
        if (email != null) {
            b.header("Authorization", "Bearer " + TOKENS.computeIfAbsent(port + email,
                    k -> Identities.token(port, email, passphrase(email))));
        }
        return JSON.readTree(send(HttpClient.newHttpClient(), b.build()).body());
    }

    static final Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    static String passphrase(String email) {
        return Identities.FOUNDER_PASSPHRASES.getOrDefault(email, Identities.MEMBER_PASSPHRASE);
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
