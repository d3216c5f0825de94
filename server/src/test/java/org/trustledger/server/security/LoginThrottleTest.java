package org.trustledger.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.testing.LedgerHarness.MutableClock;
import org.trustledger.ledger.testing.TestMongo;

/** Brute-force limits per account and per address, on a real MongoDB wire server and a controlled clock. */
class LoginThrottleTest {

    TestMongo mongo;
    MutableClock clock;
    LoginThrottle throttle;
    com.mongodb.client.MongoDatabase db;
    /**
     * The failures counted for ada's account each time the throttle asked for its writes to be made durable
     * (thread-safe: the parallel tests' failures ask from many threads).
     */
    List<Integer> durableAt = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
        db = mongo.freshDatabase();
        throttle = new LoginThrottle(db, () -> durableAt.add(failuresOf("account:ada@example.org")), clock, 5, 20);
    }

    @AfterEach
    void tearDown() {
        mongo.close();
    }

    @Test
    void five_failures_block_the_account_until_the_window_ends() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("ada@example.org", "10.0.0." + i);
        }
        assertThat(throttle.blockedUntil("ada@example.org", "10.0.1.1")).isEmpty();
        throttle.failed("Ada@Example.org", "10.0.0.9");
        assertThat(throttle.blockedUntil("ada@example.org", "10.0.1.1")).contains(Instant.parse("2026-11-23T12:15:00Z"));
        assertThat(throttle.blockedUntil("grace@example.org", "10.0.1.1")).isEmpty();
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(throttle.blockedUntil("ada@example.org", "10.0.1.1")).isEmpty();
    }

    @Test
    void twenty_failures_from_one_address_block_it_for_every_account() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("user" + i + "@example.org", "192.0.2.7");
        }
        assertThat(throttle.blockedUntil("someone-new@example.org", "192.0.2.7")).isPresent();
        assertThat(throttle.blockedUntil("someone-new@example.org", "192.0.2.8")).isEmpty();
    }

    @Test
    void a_success_clears_the_account_count_but_not_the_address_count() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("ada@example.org", "192.0.2.7");
        }
        throttle.succeeded("ada@example.org");
        throttle.failed("ada@example.org", "192.0.2.7");
        assertThat(throttle.blockedUntil("ada@example.org", "192.0.2.9")).isEmpty();
    }

    @Test
    void checks_without_an_account_count_for_the_address_only() {
        for (int i = 0; i < 19; i++) {
            throttle.failed(null, "192.0.2.7");
        }
        assertThat(throttle.blockedUntil(null, "192.0.2.7")).isEmpty();
        assertThat(throttle.blockedUntil(null, "192.0.2.8")).isEmpty();
        throttle.failed(null, "192.0.2.7");
        assertThat(throttle.blockedUntil(null, "192.0.2.7")).isPresent();
        assertThat(throttle.blockedUntil(null, "192.0.2.8")).isEmpty();
    }

    @org.junit.jupiter.api.RepeatedTest(5)
    void parallel_attempts_never_check_more_than_the_limit() throws Exception {
        int threads = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger checked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String address = "10.9.9." + i;
            running.add(pool.submit(() -> {
                go.await();
                try (LoginThrottle.Attempt attempt = throttle.begin("ada@example.org", address)) {
                    if (!attempt.refused()) {
                        checked.incrementAndGet();
                        attempt.failed();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (java.util.concurrent.Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        assertThat(checked.get()).as("a check-then-count throttle lets all 16 through").isEqualTo(5);
        assertThat(throttle.blockedUntil("ada@example.org", "10.0.1.1")).isPresent();
    }

    @Test
    void an_attempt_given_back_or_refused_counts_nothing() {
        for (int i = 0; i < 10; i++) {
            try (LoginThrottle.Attempt attempt = throttle.begin("ada@example.org", "192.0.2.7")) {
                assertThat(attempt.refused()).isFalse(); // closed unsettled: the check proved nothing
            }
        }
        for (int i = 0; i < 5; i++) {
            try (LoginThrottle.Attempt attempt = throttle.begin("ada@example.org", "192.0.2.7")) {
                attempt.failed();
            }
        }
        for (int i = 0; i < 30; i++) {
            try (LoginThrottle.Attempt attempt = throttle.begin("ada@example.org", "192.0.2.7")) {
                assertThat(attempt.refused()).isTrue();
                assertThat(attempt.until()).isEqualTo(Instant.parse("2026-11-23T12:15:00Z"));
            }
        }
        // Refused attempts did not count for the address: 5 failures of its 20.
        try (LoginThrottle.Attempt attempt = throttle.begin("grace@example.org", "192.0.2.7")) {
            assertThat(attempt.refused()).isFalse();
            attempt.succeeded();
        }
        assertThat(throttle.blockedUntil(null, "192.0.2.7")).isEmpty();
    }

    @Test
    void failures_leave_the_window_minute_by_minute() {
        throttle.failed("ada@example.org", "192.0.2.7");
        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 4; i++) {
            throttle.failed("ada@example.org", "192.0.2.7");
        }
        assertThat(throttle.blockedUntil("ada@example.org", "192.0.2.9")).contains(Instant.parse("2026-11-23T12:15:00Z"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.blockedUntil("ada@example.org", "192.0.2.9")).as("the first failure left the window").isEmpty();
    }

    @Test
    void parallel_attempts_that_succeed_are_never_refused_for_being_many() throws Exception {
        int threads = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
        for (int i = 0; i < threads * 4; i++) {
            running.add(pool.submit(() -> {
                go.await();
                try (LoginThrottle.Attempt attempt = throttle.begin("busy-assurer", "192.0.2.7")) {
                    if (attempt.refused()) {
                        refused.incrementAndGet();
                    }
                    Thread.sleep(2); // the check itself, while others are under way
                }
                return null;
            }));
        }
        go.countDown();
        for (java.util.concurrent.Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        assertThat(refused.get()).as("64 checks, 16 at a time, none failing, limit 5").isZero();
        assertThat(throttle.blockedUntil("busy-assurer", "192.0.2.7")).isEmpty();
        // Every reservation made, including those of attempts told to wait and retry, was given back.
        assertThat(pendingOf("account:busy-assurer")).as("every reservation given back").isZero();
        assertThat(pendingOf("address:192.0.2.7")).as("every reservation given back").isZero();
    }

    @Test
    void a_check_left_unsettled_stops_holding_others_back_after_two_minutes() {
        for (int i = 0; i < 5; i++) {
            throttle.begin("ada@example.org", "192.0.2.7"); // never settled: their node died
        }
        clock.advance(Duration.ofMinutes(2));
        try (LoginThrottle.Attempt attempt = throttle.begin("ada@example.org", "192.0.2.7")) {
            assertThat(attempt.refused()).isFalse();
        }
    }

    @Test
    void a_success_clears_failures_but_not_the_checks_of_that_account_still_under_way() {
        throttle.failed("ada@example.org", "192.0.2.7");
        LoginThrottle.Attempt first = throttle.begin("ada@example.org", "192.0.2.7");
        LoginThrottle.Attempt second = throttle.begin("ada@example.org", "192.0.2.8");
        first.succeeded();
        org.bson.Document counts = db.getCollection("credential_failures").find(
                com.mongodb.client.model.Filters.eq("_id", "account:ada@example.org")).first();
        assertThat(counts.get("f")).as("failures cleared").isNull();
        assertThat(((org.bson.Document) counts.get("p")).values()).as("the second check still counted")
                .containsExactly(1);
        second.close();
        counts = db.getCollection("credential_failures").find(
                com.mongodb.client.model.Filters.eq("_id", "account:ada@example.org")).first();
        assertThat(((org.bson.Document) counts.get("p")).values()).as("never below zero").containsExactly(0);
    }

    /**
     * A counted failure is durable before the caller goes on: the throttle asks for durability after the
     * failure is written (the store holds it at that moment). Reservations, their release and a success
     * are not waited for (a crash ends the check under way as well).
     */
    @Test
    void a_counted_failure_is_made_durable_before_the_caller_goes_on_and_a_reservation_is_not() {
        LoginThrottle.Attempt given = throttle.begin("ada@example.org", "192.0.2.7");
        given.close();
        throttle.begin("ada@example.org", "192.0.2.7").succeeded();
        assertThat(durableAt).as("reserved, given back, succeeded").isEmpty();

        LoginThrottle.Attempt failing = throttle.begin("ada@example.org", "192.0.2.7");
        assertThat(durableAt).isEmpty();
        failing.failed();
        assertThat(durableAt).as("failures held by the store when durability was asked").containsExactly(1);

        throttle.failed("ada@example.org", "192.0.2.7");
        assertThat(durableAt).containsExactly(1, 2);
    }

    private int failuresOf(String key) {
        return sum(key, "f");
    }

    private int pendingOf(String key) {
        return sum(key, "p");
    }

    private int sum(String key, String field) {
        org.bson.Document d = db.getCollection("credential_failures").find(
                com.mongodb.client.model.Filters.eq("_id", key)).first();
        return d == null || !(d.get(field) instanceof org.bson.Document counts) ? 0
                : counts.values().stream().mapToInt(v -> ((Number) v).intValue()).sum();
    }
}
