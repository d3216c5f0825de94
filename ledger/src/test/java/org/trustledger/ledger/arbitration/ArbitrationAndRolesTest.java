package org.trustledger.ledger.arbitration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.api.AccountDeleted;
import org.trustledger.ledger.api.AppointRoleCommand;
import org.trustledger.ledger.api.AssignArbitratorCommand;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.AssuranceVoided;
import org.trustledger.ledger.api.CloseCaseCommand;
import org.trustledger.ledger.api.FileCaseCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.ParentalConsentRecorded;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.PointsAdjusted;
import org.trustledger.ledger.api.RecogniseFoundingAssurerCommand;
import org.trustledger.ledger.api.RecordAssuranceCommand;
import org.trustledger.ledger.api.RecordParentalConsentCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.RegisterMemberCommand;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.Ruling;
import org.trustledger.ledger.api.RulingCommand;
import org.trustledger.ledger.api.RulingMade;
import org.trustledger.ledger.api.WithdrawRoleCommand;
import org.trustledger.ledger.member.MemberAggregateTest;
import org.trustledger.ledger.testing.LedgerHarness;
import org.trustledger.ledger.testing.TestMongo;

/** Roles, parental consent and arbitration on the real event store (DOMAIN.md sections 5 and 6). */
class ArbitrationAndRolesTest {

    static final LocalDate DOB = LocalDate.of(1990, 1, 1);
    TestMongo mongo;
    LedgerHarness ledger;
    final String support = "founder-support";
    final String alice = "founder-alice";
    final String bob = "founder-bob";
    final String carol = "founder-carol";

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        ledger = new LedgerHarness(mongo.freshDatabase(), 50);
        founder(support, "support", List.of(Role.SUPPORT));
        founder(alice, "alice", List.of());
        founder(bob, "bob", List.of());
        founder(carol, "carol", List.of());
    }

    @AfterEach
    void tearDown() {
        ledger.close();
        mongo.close();
    }

    void founder(String id, String name, List<Role> roles) {
        send(new RecogniseFoundingAssurerCommand(id, new PersonName(name, null, "Founder", null), LocalDate.of(1970, 1, 1),
                name + "@founders.example", "founder passphrase", "test", roles));
    }

    <R> R send(Object command) {
        return ledger.commands().sendAndWait(command);
    }

    RefusalCode refusal(Object command) {
        LedgerRefusal r = (LedgerRefusal) org.junit.jupiter.api.Assertions.assertThrows(LedgerRefusal.class, () -> send(command));
        return r.code();
    }

    List<Object> stream(String id) {
        return ledger.eventStore().readEvents(id, 0).asStream().map(DomainEventMessage::getPayload).map(p -> (Object) p).toList();
    }

    String member(String email, LocalDate dob) {
        String id = UUID.randomUUID().toString();
        send(new RegisterMemberCommand(id, new PersonName("M", null, "Ember", null), dob, email, "a good passphrase",
                MemberAggregateTest.fiveQuestions()));
        String nonce = ledger.eventStore().readEvents(id, 0).asStream().map(DomainEventMessage::getPayload)
                .filter(p -> p instanceof org.trustledger.ledger.api.EmailVerificationRequested)
                .map(p -> ((org.trustledger.ledger.api.EmailVerificationRequested) p).nonce()).findFirst().orElseThrow();
        send(new org.trustledger.ledger.api.VerifyEmailCommand(ledger.tokens.token(id, email, nonce)));
        return id;
    }

    AssuranceOutcome assure(String assurer, String email, LocalDate dob, int points) {
        return send(new RecordAssuranceCommand(UUID.randomUUID().toString(), assurer, email, dob, LocalDate.of(2026, 11, 22),
                "Berlin", points, List.of("passport"), true, true));
    }

    String openCase(String claimant, String arbitrator) {
        send(new AppointRoleCommand(arbitrator, Role.ARBITRATOR, support, "trained"));
        String caseId = send(new FileCaseCommand(claimant, null, "void the assurance", claimant));
        send(new AssignArbitratorCommand(caseId, arbitrator, support));
        return caseId;
    }

    @Test
    void support_appoints_and_withdraws_roles_within_their_requirements() {
        send(new AppointRoleCommand(alice, Role.TTP_ADMIN, support, "senior assurer in a remote region"));
        send(new AppointRoleCommand(alice, Role.ORGANISATION_ASSURER, support, "150 points"));
        assertThat(refusal(new AppointRoleCommand(alice, Role.TTP_ADMIN, support, "again"))).isEqualTo(RefusalCode.ROLE_ALREADY_HELD);
        assertThat(refusal(new AppointRoleCommand(bob, Role.ARBITRATOR, alice, "not support"))).isEqualTo(RefusalCode.NOT_AUTHORISED);
        assertThat(refusal(new AppointRoleCommand(bob, Role.ARBITRATOR, support, " "))).isEqualTo(RefusalCode.REASON_REQUIRED);
        String plain = member("plain@example.org", DOB);
        assertThat(refusal(new AppointRoleCommand(plain, Role.ARBITRATOR, support, "x"))).isEqualTo(RefusalCode.ROLE_REQUIREMENT_NOT_MET);
        assertThat(refusal(new AppointRoleCommand(plain, Role.TTP_ADMIN, support, "x"))).isEqualTo(RefusalCode.ROLE_REQUIREMENT_NOT_MET);
        assertThat(refusal(new AppointRoleCommand(plain, Role.ORGANISATION_ASSURER, support, "x"))).isEqualTo(RefusalCode.ROLE_REQUIREMENT_NOT_MET);
        send(new WithdrawRoleCommand(alice, Role.TTP_ADMIN, support, "moved away"));
        assertThat(refusal(new WithdrawRoleCommand(alice, Role.TTP_ADMIN, support, "again"))).isEqualTo(RefusalCode.ROLE_NOT_HELD);
    }

    @Test
    void parental_consent_is_for_minors_and_recorded_by_support_or_an_assurer() {
        LocalDate sixteen = LocalDate.of(2010, 6, 1);
        String minor = member("minor@example.org", sixteen);
        String adult = member("adult@example.org", DOB);
        assertThat(refusal(new RecordParentalConsentCommand(minor, "Parent", adult))).isEqualTo(RefusalCode.NOT_AUTHORISED);
        assertThat(refusal(new RecordParentalConsentCommand(adult, "Parent", alice))).isEqualTo(RefusalCode.PARENTAL_CONSENT_NOT_NEEDED);
        send(new RecordParentalConsentCommand(minor, "Ada Parent", alice));
        assertThat(stream(minor)).anyMatch(e -> e instanceof ParentalConsentRecorded p && p.guardianName().equals("Ada Parent"));
    }

    @Test
    void cases_are_numbered_per_day_and_only_the_assigned_arbitrator_of_an_open_case_rules() {
        String m = member("m@example.org", DOB);
        String first = send(new FileCaseCommand(m, alice, "relief one", m));
        String second = send(new FileCaseCommand(m, null, "relief two", m));
        assertThat(first).isEqualTo("a20261123.1");
        assertThat(second).isEqualTo("a20261123.2");
        assertThat(refusal(new FileCaseCommand(m, null, " ", m))).isEqualTo(RefusalCode.REASON_REQUIRED);
        assertThat(refusal(new FileCaseCommand("nobody", null, "x", m))).isEqualTo(RefusalCode.MEMBER_NOT_FOUND);

        assertThat(refusal(new AssignArbitratorCommand(first, bob, support))).as("not an arbitrator").isEqualTo(RefusalCode.NOT_AUTHORISED);
        send(new AppointRoleCommand(bob, Role.ARBITRATOR, support, "trained"));
        send(new AppointRoleCommand(alice, Role.ARBITRATOR, support, "trained"));
        assertThat(refusal(new AssignArbitratorCommand(first, bob, alice))).as("not support").isEqualTo(RefusalCode.NOT_AUTHORISED);
        assertThat(refusal(new AssignArbitratorCommand(first, alice, support))).isEqualTo(RefusalCode.ARBITRATOR_IS_PARTY);
        send(new AssignArbitratorCommand(first, bob, support));
        send(new AppointRoleCommand(carol, Role.ARBITRATOR, support, "trained"));
        assertThat(refusal(new AssignArbitratorCommand(first, carol, support))).isEqualTo(RefusalCode.CASE_ALREADY_ASSIGNED);

        Ruling adjust = new Ruling.AdjustPoints(m, 5, 0, "compensation");
        assertThat(refusal(new RulingCommand(first, alice, adjust))).isEqualTo(RefusalCode.NOT_ASSIGNED_ARBITRATOR);
        assertThat(refusal(new RulingCommand(second, bob, adjust))).as("unassigned case").isEqualTo(RefusalCode.NOT_ASSIGNED_ARBITRATOR);
        assertThat(refusal(new RulingCommand("a20990101.1", bob, adjust))).isEqualTo(RefusalCode.CASE_NOT_FOUND);
        assertThat(refusal(new RulingCommand(first, bob, new Ruling.AdjustPoints(m, 0, 0, "nothing")))).isEqualTo(RefusalCode.POINTS_ADJUSTMENT_INVALID);
        assertThat(refusal(new RulingCommand(first, bob, new Ruling.AdjustPoints(m, 151, 0, "too much")))).isEqualTo(RefusalCode.POINTS_ADJUSTMENT_INVALID);
        send(new RulingCommand(first, bob, adjust));
        assertThat(stream(m)).anyMatch(e -> e instanceof PointsAdjusted p && p.caseId().equals(first) && p.assurancePointsDelta() == 5);
        assertThat(stream(first)).anyMatch(e -> e instanceof RulingMade r && r.remedy().equals("ADJUST_POINTS"));

        assertThat(refusal(new CloseCaseCommand(first, alice, "done"))).isEqualTo(RefusalCode.NOT_ASSIGNED_ARBITRATOR);
        send(new CloseCaseCommand(first, bob, "compensated"));
        assertThat(refusal(new RulingCommand(first, bob, adjust))).isEqualTo(RefusalCode.CASE_CLOSED);
    }

    @Test
    void a_voided_assurance_stops_counting_on_both_sides_and_the_pair_may_meet_again() {
        String m = member("m@example.org", DOB);
        String assuranceId = assure(alice, "m@example.org", DOB, 35).assuranceId();
        String caseId = openCase(m, carol);
        send(new RulingCommand(caseId, carol, new Ruling.VoidAssurance(assuranceId, "documents were forged")));
        assertThat(stream(m)).anyMatch(e -> e instanceof AssuranceVoided v && v.assuranceId().equals(assuranceId));
        assertThat(stream(alice)).anyMatch(e -> e instanceof AssuranceVoided v && v.assuranceId().equals(assuranceId));
        assertThat(refusal(new RulingCommand(caseId, carol, new Ruling.VoidAssurance(assuranceId, "again"))))
                .isEqualTo(RefusalCode.ASSURANCE_ALREADY_VOIDED);
        assertThat(refusal(new RulingCommand(caseId, carol, new Ruling.VoidAssurance("no-such", "x"))))
                .isEqualTo(RefusalCode.ASSURANCE_NOT_FOUND);
        // The voided assurance no longer binds the pair: they may meet again.
        assertThat(assure(alice, "m@example.org", DOB, 35).isRecorded()).isTrue();
    }

    @Test
    void a_voided_assurance_no_longer_earns_its_assurer_experience() {
        // A new Assurer: three founders' assurances and a passed challenge.
        String assurer = member("new@example.org", DOB);
        for (String f : List.of(alice, bob, support)) {
            assure(f, "new@example.org", DOB, 35);
        }
        send(new org.trustledger.ledger.api.RecordAssurerChallengeCommand(assurer, 90, LocalDate.of(2026, 11, 22), "test"));
        List<String> given = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            member("m" + i + "@example.org", DOB);
            given.add(assure(assurer, "m" + i + "@example.org", DOB, 10).assuranceId());
        }
        member("next@example.org", DOB);
        // Five assurances: 10 EP, so 15 points are allowed now...
        String caseId = openCase(assurer, carol);
        send(new RulingCommand(caseId, carol, new Ruling.VoidAssurance(given.get(0), "no meeting took place")));
        // ...but with one voided the assurer is back at 8 EP and a maximum of 10.
        assertThat(assure(assurer, "next@example.org", DOB, 15).refusalCode()).isEqualTo(RefusalCode.POINTS_ABOVE_ASSURER_MAXIMUM);
        assertThat(assure(assurer, "next@example.org", DOB, 10).isRecorded()).isTrue();
    }

    @Test
    void blocked_assurers_and_locked_accounts_are_refused_until_unblocked() {
        String m = member("m@example.org", DOB);
        String caseId = openCase(m, carol);
        send(new RulingCommand(caseId, carol, new Ruling.BlockAssurer(bob, true, "careless checks")));
        assertThat(assure(bob, "m@example.org", DOB, 10).refusalCode()).isEqualTo(RefusalCode.ASSURER_BLOCKED);
        send(new RulingCommand(caseId, carol, new Ruling.BlockAssurer(bob, false, "retrained")));
        assertThat(assure(bob, "m@example.org", DOB, 10).isRecorded()).isTrue();
        send(new RulingCommand(caseId, carol, new Ruling.LockAccount(m, "identity theft")));
        assertThat(assure(alice, "m@example.org", DOB, 10).refusalCode()).isEqualTo(RefusalCode.ASSUREE_LOCKED);
        assertThat(refusal(new org.trustledger.ledger.api.AddEmailCommand(m, "other@example.org"))).isEqualTo(RefusalCode.ACCOUNT_LOCKED);
        assertThat(refusal(new WithdrawRoleCommand(alice, Role.SUPPORT, bob, "not support"))).isEqualTo(RefusalCode.NOT_AUTHORISED);
    }

    @Test
    void deletion_waits_90_days_after_the_last_certificate_and_frees_the_addresses() {
        String m = member("m@example.org", DOB);
        send(new org.trustledger.ledger.api.AddDomainCommand(m, "m.example", "root"));
        String nonce = stream(m).stream().filter(e -> e instanceof org.trustledger.ledger.api.DomainControlRequested)
                .map(e -> ((org.trustledger.ledger.api.DomainControlRequested) e).nonce()).findFirst().orElseThrow();
        send(new org.trustledger.ledger.api.VerifyDomainCommand(ledger.tokens.token(m, "domain:m.example", nonce)));
        assertThat(ledger.domains.holder("m.example")).contains(m);
        String caseId = openCase(m, carol);
        java.time.Instant now = ledger.clock.instant();
        ledger.certificates.put(m, List.of(new CertificateCheck.CertificateStatus("01", now.minus(Duration.ofDays(89)), null)));
        assertThat(refusal(new RulingCommand(caseId, carol, new Ruling.DeleteAccount(m, "asked to leave"))))
                .isEqualTo(RefusalCode.CERTIFICATES_STILL_VALID);
        ledger.certificates.put(m, List.of(new CertificateCheck.CertificateStatus("01", now.plus(Duration.ofDays(300)),
                now.minus(Duration.ofDays(89)))));
        assertThat(refusal(new RulingCommand(caseId, carol, new Ruling.DeleteAccount(m, "asked to leave"))))
                .isEqualTo(RefusalCode.CERTIFICATES_STILL_VALID);
        ledger.certificates.put(m, List.of(new CertificateCheck.CertificateStatus("01", now.minus(Duration.ofDays(91)), null),
                new CertificateCheck.CertificateStatus("02", now.plus(Duration.ofDays(300)), now.minus(Duration.ofDays(91)))));
        send(new RulingCommand(caseId, carol, new Ruling.DeleteAccount(m, "asked to leave")));
        assertThat(stream(m)).anyMatch(e -> e instanceof AccountDeleted d && d.releasedEmails().contains("m@example.org"));
        assertThat(ledger.registry.find("m@example.org")).isEmpty();
        assertThat(ledger.domains.holder("m.example")).isEmpty();
        assertThat(refusal(new RulingCommand(caseId, carol, new Ruling.DeleteAccount(m, "again")))).isEqualTo(RefusalCode.ACCOUNT_DELETED);
        // The address is free for a new account.
        member("m@example.org", DOB);
    }

    @Test
    void name_and_date_of_birth_are_corrected_by_ruling_and_revocations_are_recorded() {
        String m = member("m@example.org", DOB);
        String caseId = openCase(m, carol);
        send(new RulingCommand(caseId, carol, new Ruling.ChangeName(m, new PersonName("Maria", null, "Ember", null), "typo")));
        send(new RulingCommand(caseId, carol, new Ruling.ChangeDateOfBirth(m, LocalDate.of(1991, 1, 1), "typo")));
        assertThat(refusal(new RulingCommand(caseId, carol, new Ruling.ChangeDateOfBirth(m, LocalDate.of(2030, 1, 1), "x"))))
                .isEqualTo(RefusalCode.DATE_OF_BIRTH_INVALID);
        // The assurer now identifies the member by the corrected date of birth.
        assertThat(assure(alice, "m@example.org", DOB, 10).refusalCode()).isEqualTo(RefusalCode.ASSUREE_NOT_FOUND);
        assertThat(assure(alice, "m@example.org", LocalDate.of(1991, 1, 1), 10).isRecorded()).isTrue();
        send(new RulingCommand(caseId, carol, new Ruling.RevokeCertificates(m, List.of(), "lost backing")));
        assertThat(stream(caseId)).filteredOn(e -> e instanceof RulingMade).hasSize(3);
        assertThatThrownBy(() -> send(new RulingCommand(caseId, carol, new Ruling.LockAccount(m, " "))))
                .isInstanceOf(LedgerRefusal.class);
    }
}
