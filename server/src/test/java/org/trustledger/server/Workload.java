package org.trustledger.server;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import tools.jackson.databind.JsonNode;

/**
 * A stream of commands (registrations, email verifications, assurances, certificate requests) from
 * client threads against whichever server is up, as real clients would send them, recording exactly
 * what each was told. A request that gets no answer (the server was killed, or the store is gone) is
 * not retried: the reliability tests then prove that every acknowledged command is in the event store
 * exactly once and nothing else is half there.
 */
final class Workload implements AutoCloseable {

    static final String DOB = "1990-01-01";
    static final String REQUEST = "mutation($input: RequestCertificateInput!) { requestCertificate(input: $input) {"
            + " requestId certificate { serial status pem } error { code message } } }";

    /** A registered, verified member with a bearer token (tokens survive restarts: they are in the store). */
    record Member(String id, String email, String token) {
    }

    // What the clients were told was done.
    final Set<String> registered = ConcurrentHashMap.newKeySet();
    final Set<String> verified = ConcurrentHashMap.newKeySet();
    /** "assurerId>assureeId". */
    final Set<String> assured = ConcurrentHashMap.newKeySet();
    /** Serial (hex) to the PEM the client received. */
    final Map<String, String> certificates = new ConcurrentHashMap<>();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger acknowledged = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    /** Answered with a GraphQL error (code: count), e.g. STORE_UNAVAILABLE while the store is away. */
    final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    /** Answers that were not GraphQL responses at all (HTTP errors): there must be none. */
    final List<String> httpFailures = new CopyOnWriteArrayList<>();

    private final IntSupplier port;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final Map<String, String> founderIds;
    private final Map<String, String> founderTokens;
    private final String supportToken;
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param port        the port of a server believed up, asked before every command
     * @param setupPort   a server that is up now, for the founders' ids and tokens
     */
    Workload(String prefix, IntSupplier port, int setupPort, int clients, long seed) {
        this.prefix = prefix;
        this.port = port;
        GraphQlHttp api = new GraphQlHttp(setupPort);
        founderIds = new ConcurrentHashMap<>();
        founderTokens = new ConcurrentHashMap<>();
        for (String founder : ServerJarIT.FOUNDERS) {
            founderIds.put(founder, founderId(api, founder));
            founderTokens.put(founder, Identities.token(setupPort, founder, Identities.FOUNDER_PASSPHRASES.get(founder)));
        }
        supportToken = founderTokens.get("alice@founders.example");
        for (int i = 0; i < clients; i++) {
            Random random = new Random(seed + i);
            Thread t = new Thread(() -> run(random), prefix + "-client-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** The founder's id, once the read model of a freshly started ledger shows the genesis file's founders. */
    private static String founderId(GraphQlHttp api, String founder) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode member = api.support().data(GraphQlHttp.MEMBER, Map.of("email", founder)).get("memberByEmail");
        while (member.isNull() && System.nanoTime() < deadline) {
            pause(100);
            member = api.support().data(GraphQlHttp.MEMBER, Map.of("email", founder)).get("memberByEmail");
        }
        return member.get("id").asString();
    }

    private void run(Random random) {
        while (running) {
            double x = random.nextDouble();
            try {
                if (members.size() < 4 || x < 0.35) {
                    registerAndVerify();
                } else if (x < 0.75) {
                    assure(random);
                } else {
                    requestCertificate(random);
                }
            } catch (Unanswered e) {
                unanswered.incrementAndGet();
                pause(200);
            }
        }
    }

    private void registerAndVerify() {
        String email = prefix + "-" + next.incrementAndGet() + "@example.org";
        int at = port.getAsInt();
        JsonNode reg = send(at, null, GraphQlHttp.REGISTER, Map.of("input", GraphQlHttp.registration(email, DOB)),
                "registerMember", () -> registered.add(email));
        if (reg == null) {
            return;
        }
        registered.add(email);
        String id = reg.path("member").path("id").asString();
        String token = mailedToken(at, email);
        if (token == null || send(at, null, GraphQlHttp.VERIFY, Map.of("token", token), "verifyEmail", () -> verified.add(email)) == null) {
            return;
        }
        verified.add(email);
        try {
            members.add(new Member(id, email, Identities.token(at, email, Identities.MEMBER_PASSPHRASE)));
        } catch (RuntimeException e) {
            throw new Unanswered();
        }
    }

    private String mailedToken(int at, String email) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode mails = call(at, supportToken, GraphQlHttp.OUTBOX, Map.of("to", email)).path("data").path("devOutbox");
            if (mails.size() > 0) {
                return mails.get(mails.size() - 1).get("token").asString();
            }
            pause(50);
        }
        return null;
    }

    private void assure(Random random) {
        for (int tries = 0; tries < 20; tries++) {
            Member member = members.get(random.nextInt(members.size()));
            String founder = ServerJarIT.FOUNDERS[random.nextInt(ServerJarIT.FOUNDERS.length)];
            String pair = founderIds.get(founder) + ">" + member.id();
            if (!attempted.add(pair)) {
                continue; // each pair once: a second assurance by the same assurer would be refused anyway
            }
            if (send(port.getAsInt(), founderTokens.get(founder), GraphQlHttp.ASSURE, Map.of("input",
                    GraphQlHttp.assurance(founderIds.get(founder), member.email(), DOB, 10)), "recordAssurance",
                    () -> assured.add(pair)) != null) {
                assured.add(pair);
            }
            return;
        }
    }

    private void requestCertificate(Random random) {
        Member member = members.get(random.nextInt(members.size()));
        JsonNode out = send(port.getAsInt(), member.token(), REQUEST, Map.of("input", Map.of("memberId", member.id(),
                "kind", "CLIENT", "publicKey", publicKey())), "requestCertificate", () -> { });
        if (out != null) {
            JsonNode cert = out.path("certificate");
            certificates.put(cert.path("serial").asString(), cert.path("pem").asString());
        }
    }

    /**
     * Sends one command. Returns its payload when it was done; null when it was refused or answered
     * with an error; throws {@link Unanswered} when no answer came. READ_MODEL_LAGGING says the write
     * was recorded (only the read model is behind): {@code recordedAnyway} notes it as acknowledged.
     */
    private JsonNode send(int at, String bearer, String document, Map<String, Object> variables, String field,
                          Runnable recordedAnyway) {
        sent.incrementAndGet();
        JsonNode response = call(at, bearer, document, variables);
        if (response.has("errors")) {
            String code = response.path("errors").path(0).path("extensions").path("code").asString("NONE");
            errors.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
            if (code.equals("READ_MODEL_LAGGING")) {
                acknowledged.incrementAndGet();
                recordedAnyway.run();
            }
            return null;
        }
        JsonNode payload = response.path("data").path(field);
        if (!payload.path("error").isNull()) {
            refusals.computeIfAbsent(payload.path("error").path("code").asString(), k -> new AtomicInteger())
                    .incrementAndGet();
            return null;
        }
        acknowledged.incrementAndGet();
        return payload;
    }

    private JsonNode call(int at, String bearer, String document, Map<String, Object> variables) {
        try {
            return (bearer == null ? new GraphQlHttp(at) : GraphQlHttp.withToken(at, bearer)).post(document, variables);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof java.io.IOException) {
                throw new Unanswered();
            }
            httpFailures.add(e.getMessage()); // an answer, but not a GraphQL one (e.g. HTTP 500)
            throw new Unanswered();
        }
    }

    static String publicKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String report() {
        return "sent " + sent + ", acknowledged " + acknowledged + ", attempts without an answer " + unanswered + ", errors " + errors
                + ", refusals " + refusals + "; acknowledged: " + registered.size() + " registrations, " + verified.size()
                + " verifications, " + assured.size() + " assurances, " + certificates.size() + " certificates";
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(60_000);
        }
    }

    /** No answer came: the server is down or the connection broke. */
    private static final class Unanswered extends RuntimeException {
        Unanswered() {
            super(null, null, false, false);
        }
    }
}
