package org.trustledger.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * The members a load needs, made the way real members are made, through the public API: registered,
 * their email verified with the token from the (dev-mode) outbox, logged in for a bearer token where
 * they will act; Assurers made by the three founders of the genesis file (35 + 35 + 30 points) and a
 * passed Assurer Challenge recorded by support. Nothing is written to the store behind the server's
 * back, so the store holds exactly what such a community would have produced.
 */
final class Community {

    static final String DATE_OF_BIRTH = "1990-01-01";
    static final String PASSPHRASE = "violet tractor ribbon meadow";
    /** The day of the meeting: today (the ledger refuses a date more than one day ahead). */
    static final String ASSURANCE_DATE = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    /** The test genesis file's founders; Alice has the SUPPORT role. */
    static final List<String> FOUNDER_EMAILS = List.of("alice@founders.example", "bob@founders.example",
            "carol@founders.example");
    private static final Map<String, String> FOUNDER_PASSPHRASES = Map.of(
            "alice@founders.example", "alice founding passphrase",
            "bob@founders.example", "bob founding passphrase",
            "carol@founders.example", "carol founding passphrase");
    /** What the three founders award a new Assurer: 100 AP together (one assurer may award at most 35). */
    private static final int[] FOUNDER_AWARDS = {35, 35, 30};

    static final String REGISTER = "mutation($input: RegisterMemberInput!) { registerMember(input: $input) "
            + "{ member { id } error { code message } } }";
    static final String OUTBOX = "query($to: String!) { devOutbox(to: $to) { token } }";
    static final String VERIFY = "mutation($token: String!) { verifyEmail(token: $token) "
            + "{ member { id } error { code message } } }";
    static final String MEMBER_BY_EMAIL = "query($email: String!) { memberByEmail(email: $email) { id } }";
    static final String ASSURE = "mutation($input: RecordAssuranceInput!) { recordAssurance(input: $input) "
            + "{ assurance { id counted } error { code message } } }";
    static final String CHALLENGE = "mutation($input: RecordAssurerChallengeInput!) "
            + "{ recordAssurerChallenge(input: $input) { member { id status } error { code message } } }";
    static final String STATS = "{ ledgerStats { members assurances certificates events processors { name lag } } }";
    static final String GRAPH_PAGE = "query($after: String) { trustGraph(first: 100, after: $after) "
            + "{ nodes { id pseudonymous } pageInfo { hasNextPage endCursor } } }";

    /** A projection whose lag has not shrunk for this long is stuck (e.g. retrying a failing event). */
    private static final Duration STALL = Duration.ofSeconds(30);
    /** How many pages of 100 edges {@link #sampleMemberIds} reads at most. */
    private static final int MAX_GRAPH_PAGES = 60;

    /** A member of the community; {@code token} is null for those who never log in. */
    record Member(String id, String email, String token) {
    }

    private final Http http;
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();
    final List<Member> founders = new ArrayList<>();
    /** Every member this run made, for queries that pick members at random. */
    final List<Member> everyone = Collections.synchronizedList(new ArrayList<>());

    Community(Http http, String prefix) throws InterruptedException {
        this.http = http;
        this.prefix = prefix;
        for (String email : FOUNDER_EMAILS) {
            String token = founderLogin(email);
            founders.add(new Member(founderId(email, token), email, token));
        }
        everyone.addAll(founders);
    }

    /** Alice: support, who reads the outbox and records challenges. */
    Member support() {
        return founders.get(0);
    }

    /** A founder's token, once the genesis file has been recorded (at start-up, after any demo data). */
    private String founderLogin(String email) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try {
                return http.login(email, FOUNDER_PASSPHRASES.get(email));
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    /** The founder's id once the read model of the fresh ledger shows the genesis file's founders. */
    private String founderId(String email, String token) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonNode response = http.graphQl(token, MEMBER_BY_EMAIL, Map.of("email", email));
            if (response.has("errors")) {
                throw new IllegalStateException("memberByEmail failed: " + response);
            }
            JsonNode member = response.path("data").path("memberByEmail");
            if (member.hasNonNull("id")) {
                return member.get("id").asString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The founder " + email + " did not appear within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** {@code count} new verified members, made by {@code threads} clients at once; logged in if asked. */
    List<Member> register(int count, boolean login, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Member>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                made.add(pool.submit(() -> register(login)));
            }
            List<Member> members = new ArrayList<>();
            for (Future<Member> m : made) {
                members.add(m.get());
            }
            return members;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Setting up members failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * As many new verified members (not logged in) as {@code threads} clients register within
     * {@code budget}, at most {@code max}: the size of the community follows the server's speed.
     */
    List<Member> registerFor(Duration budget, int max, int threads) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        AtomicInteger left = new AtomicInteger(max);
        List<Member> members = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline && left.getAndDecrement() > 0) {
                        members.add(register(false));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Registering members failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(members);
    }

    private Member register(boolean login) throws InterruptedException {
        String email = prefix + "-" + next.incrementAndGet() + "@bench.example";
        String id = http.must(null, REGISTER, Map.of("input", registration(email)), "registerMember")
                .path("member").path("id").asString();
        http.must(null, VERIFY, Map.of("token", mailedToken(email)), "verifyEmail");
        Member member = new Member(id, email, login ? http.login(email, PASSPHRASE) : null);
        everyone.add(member);
        return member;
    }

    /** The verification token from the outbox; mail is written asynchronously, as real mail arrives. */
    private String mailedToken(String email) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode mails = http.must(support().token(), OUTBOX, Map.of("to", email), "devOutbox");
            if (mails.size() > 0) {
                return mails.get(mails.size() - 1).path("token").asString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No mail to " + email + " within 30 s");
            }
            Thread.sleep(10);
        }
    }

    /** Brings logged-in members to Assurer: 100 AP from the founders, then a passed Assurer Challenge. */
    void makeAssurers(List<Member> members, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Member m : members) {
                done.add(pool.submit(() -> {
                    for (int f = 0; f < founders.size(); f++) {
                        http.must(founders.get(f).token(), ASSURE, Map.of("input",
                                assurance(founders.get(f).id(), m.email(), FOUNDER_AWARDS[f])), "recordAssurance");
                    }
                    http.must(support().token(), CHALLENGE, Map.of("input",
                            Map.of("memberId", m.id(), "scorePercent", 90)), "recordAssurerChallenge");
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Making assurers failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** What the ledger holds now, from {@code ledgerStats}: members, assurances, certificates, events. */
    JsonNode stats() {
        return http.must(support().token(), STATS, Map.of(), "ledgerStats");
    }

    /**
     * Waits until every event processor has applied every event in the store (lag 0 in
     * {@code ledgerStats}, which anyone may ask).
     */
    static void awaitProjections(Http http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lowest = Long.MAX_VALUE;
        long progressed = System.nanoTime();
        while (true) {
            JsonNode processors = http.must(null, STATS, Map.of(), "ledgerStats").path("processors");
            long lag = 0;
            for (JsonNode p : processors) {
                lag += p.path("lag").asLong();
            }
            if (lag == 0) {
                return;
            }
            if (lag < lowest) {
                lowest = lag;
                progressed = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The projections did not catch up within " + timeout.toSeconds()
                        + " s: " + processors);
            }
            if (System.nanoTime() - progressed > STALL.toNanos()) {
                throw new IllegalStateException("The projections stopped catching up (no progress for "
                        + STALL.toSeconds() + " s): " + processors);
            }
            Thread.sleep(500);
        }
    }

    /**
     * Ids of up to {@code max} members of the whole store, read from the trust graph as support (who sees
     * real ids, not pseudonyms): members the run did not make itself, such as a generated web of trust,
     * so that queries spread over the store rather than over a few hundred recent members.
     */
    List<String> sampleMemberIds(int max) {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        String after = null;
        for (int page = 0; page < MAX_GRAPH_PAGES && ids.size() < max; page++) {
            Map<String, Object> variables = new java.util.HashMap<>();
            variables.put("after", after);
            JsonNode graph = http.must(support().token(), GRAPH_PAGE, variables, "trustGraph");
            for (JsonNode node : graph.path("nodes")) {
                if (!node.path("pseudonymous").asBoolean() && ids.size() < max) {
                    ids.add(node.path("id").asString());
                }
            }
            if (!graph.path("pageInfo").path("hasNextPage").asBoolean()) {
                break;
            }
            after = graph.path("pageInfo").path("endCursor").asString();
        }
        return new ArrayList<>(ids);
    }

    static Map<String, Object> registration(String email) {
        List<Map<String, String>> questions = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            questions.add(Map.of("question", "Question " + i + "?", "answer", "answer " + i));
        }
        return Map.of("givenNames", "Grace", "familyName", "Hopper", "dateOfBirth", DATE_OF_BIRTH, "email", email,
                "passphrase", PASSPHRASE, "securityQuestions", questions);
    }

    static Map<String, Object> assurance(String assurerId, String assureeEmail, int points) {
        return Map.of("assurerId", assurerId, "assureeEmail", assureeEmail, "assureeDateOfBirth", DATE_OF_BIRTH,
                "date", ASSURANCE_DATE, "location", "Amsterdam", "points", points, "documents", List.of("passport"),
                "assureeAgreedToCommunityAgreement", true, "assurerSawOriginalDocuments", true);
    }
}
