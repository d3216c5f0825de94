package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.trustledger.ledger.testing.LedgerHarness.MutableClock;
import org.trustledger.server.expiry.ExpirySweeper;
import org.trustledger.server.graphql.ReadModelSync;

/** Accounts and addresses left unverified expire after 48 hours, and the address is free again. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.expiry-sweep=PT1000H", "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class ExpiryTest extends LoggedInGraphQlTest {

    static final MutableClock CLOCK = new MutableClock(Instant.now());

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return CLOCK;
        }
    }

    @Autowired
    ExpirySweeper sweeper;
    @Autowired
    ReadModelSync sync;

    @Test
    void an_account_unverified_for_48_hours_expires_and_its_address_can_be_registered_again() {
        String email = "late@example.org";
        String id = graphQl.documentName("registerMember").variable("input", LedgerGraphQlTest.registration(email, "1990-01-01"))
                .execute().path("registerMember.member.id").entity(String.class).get();
        String token = helper().token(email);

        CLOCK.advance(Duration.ofHours(47));
        assertThat(sweeper.sweep()).isZero();
        graphQl.documentName("memberById").variable("id", id).execute()
                .path("member.accountExpired").entity(Boolean.class).isEqualTo(false);

        CLOCK.advance(Duration.ofHours(2));
        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThat(sweeper.sweep()).as("nothing left to expire").isZero();
        sync.awaitMember(id);
        graphQl.documentName("memberById").variable("id", id).execute()
                .path("member.accountExpired").entity(Boolean.class).isEqualTo(true)
                .path("member.emailVerified").entity(Boolean.class).isEqualTo(false);
        graphQl.documentName("verifyEmail").variable("token", token).execute()
                .path("verifyEmail.error.code").entity(String.class).isEqualTo("TOKEN_INVALID");
        graphQl.documentName("memberByEmail").variable("email", email).execute().path("memberByEmail").valueIsNull();

        graphQl.documentName("registerMember").variable("input", LedgerGraphQlTest.registration(email, "1991-01-01"))
                .execute().path("registerMember.error").valueIsNull()
                .path("registerMember.member.id").entity(String.class).satisfies(newId -> assertThat(newId).isNotEqualTo(id));
    }

    @Test
    void a_verified_account_does_not_expire() {
        String email = "ontime@example.org";
        graphQl.documentName("registerMember").variable("input", LedgerGraphQlTest.registration(email, "1990-01-01"))
                .execute().path("registerMember.error").valueIsNull();
        String token = helper().token(email);
        graphQl.documentName("verifyEmail").variable("token", token).execute().path("verifyEmail.error").valueIsNull();
        CLOCK.advance(Duration.ofHours(100));
        sweeper.sweep();
        graphQl.documentName("memberByEmail").variable("email", email).execute()
                .path("memberByEmail.emailVerified").entity(Boolean.class).isEqualTo(true);
    }
}
