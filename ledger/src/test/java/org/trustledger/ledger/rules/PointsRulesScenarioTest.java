package org.trustledger.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trustledger.ledger.api.MemberStatus;

/**
 * DOMAIN.md sections 2, 5 and 7 as a table: each row is a member's facts and what the rules must
 * derive. Every number boundary appears on both sides.
 */
class PointsRulesScenarioTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    /** Born so as to be exactly {@code years} old today (birthday today). */
    static LocalDate aged(int years) {
        return TODAY.minusYears(years);
    }

    /** Born so as to turn {@code years} tomorrow: still {@code years - 1} today. */
    static LocalDate turningTomorrow(int years) {
        return TODAY.minusYears(years).plusDays(1);
    }

    static Fact m(LocalDate dob) {
        return new Fact(dob);
    }

    /** A fluent builder of MemberFacts for the table. */
    static final class Fact {
        LocalDate dob;
        List<Integer> awards = List.of();
        int grantedAp;
        int grantedEp;
        int given;
        boolean challenge;
        boolean blocked;
        boolean consent;
        boolean email = true;
        boolean domain;
        boolean codeSigning;

        Fact(LocalDate dob) {
            this.dob = dob;
        }

        Fact awards(Integer... points) {
            awards = Arrays.asList(points);
            return this;
        }

        Fact given(int n) {
            given = n;
            return this;
        }

        Fact challenge() {
            challenge = true;
            return this;
        }

        Fact blocked() {
            blocked = true;
            return this;
        }

        Fact consent() {
            consent = true;
            return this;
        }

        Fact founding() {
            grantedAp = 100;
            grantedEp = 50;
            challenge = true;
            return this;
        }

        Fact noEmail() {
            email = false;
            return this;
        }

        Fact domain() {
            domain = true;
            return this;
        }

        Fact codeSigning() {
            codeSigning = true;
            return this;
        }

        MemberFacts facts() {
            return new MemberFacts(dob, awards, grantedAp, grantedEp, given, challenge, blocked, consent, email,
                    domain, codeSigning);
        }

        @Override
        public String toString() {
            return "dob=" + dob + " awards=" + awards + " given=" + given + (challenge ? " challenge" : "")
                    + (blocked ? " blocked" : "") + (consent ? " consent" : "") + (grantedAp > 0 ? " founding" : "");
        }
    }

    static Stream<Arguments> scenarios() {
        MemberStatus M = MemberStatus.MEMBER;
        MemberStatus AM = MemberStatus.ASSURED_MEMBER;
        MemberStatus A = MemberStatus.ASSURER;
        MemberStatus SA = MemberStatus.SENIOR_ASSURER;
        return Stream.of(
                // name, facts, AP, EP, status, max award
                Arguments.of("new member has nothing", m(aged(30)), 0, 0, M, 0),
                Arguments.of("49 AP is not yet assured", m(aged(30)).awards(35, 14), 49, 0, M, 0),
                Arguments.of("50 AP makes an Assured Member", m(aged(30)).awards(35, 15), 50, 0, AM, 0),
                Arguments.of("one assurer alone can never reach 50 (35 max)", m(aged(30)).awards(35), 35, 0, M, 0),
                Arguments.of("99 AP is not an Assurer", m(aged(30)).awards(35, 35, 29).challenge(), 99, 0, AM, 0),
                Arguments.of("100 AP without challenge is not an Assurer", m(aged(30)).awards(35, 35, 30), 100, 0, AM, 0),
                Arguments.of("100 AP and challenge make an Assurer", m(aged(30)).awards(35, 35, 30).challenge(), 100, 0, A, 10),
                Arguments.of("AP is capped at 100", m(aged(30)).awards(35, 35, 35, 35).challenge(), 100, 0, A, 10),
                Arguments.of("awarding 0 is allowed and counts nothing", m(aged(30)).awards(0, 35, 35), 70, 0, AM, 0),
                Arguments.of("blocked Assurer is not an Assurer", m(aged(30)).awards(35, 35, 30).challenge().blocked().given(5), 100, 10, AM, 0),
                Arguments.of("EP 8 (4 assurances) keeps max 10", m(aged(30)).awards(35, 35, 30).challenge().given(4), 100, 8, A, 10),
                Arguments.of("EP 10 (5 assurances) raises max to 15", m(aged(30)).awards(35, 35, 30).challenge().given(5), 100, 10, A, 15),
                Arguments.of("EP 18 keeps max 15", m(aged(30)).awards(35, 35, 30).challenge().given(9), 100, 18, A, 15),
                Arguments.of("EP 20 raises max to 20", m(aged(30)).awards(35, 35, 30).challenge().given(10), 100, 20, A, 20),
                Arguments.of("EP 30 raises max to 25", m(aged(30)).awards(35, 35, 30).challenge().given(15), 100, 30, A, 25),
                Arguments.of("EP 40 raises max to 30", m(aged(30)).awards(35, 35, 30).challenge().given(20), 100, 40, A, 30),
                Arguments.of("EP 48 keeps max 30, not yet senior", m(aged(30)).awards(35, 35, 30).challenge().given(24), 100, 48, A, 30),
                Arguments.of("EP 50 (25 assurances) is Senior, max 35", m(aged(30)).awards(35, 35, 30).challenge().given(25), 100, 50, SA, 35),
                Arguments.of("EP is capped at 50", m(aged(30)).awards(35, 35, 30).challenge().given(40), 100, 50, SA, 35),
                Arguments.of("EP on hold while AP below 100", m(aged(30)).awards(35, 35, 29).challenge().given(10), 99, 0, AM, 0),
                Arguments.of("under 18 EP capped at 10", m(aged(17)).awards(35, 35, 30).challenge().consent().given(10), 100, 10, A, 10),
                Arguments.of("junior assurer max 10 whatever the EP", m(aged(16)).awards(35, 35, 30).challenge().consent().given(5), 100, 10, A, 10),
                Arguments.of("turning 18 tomorrow is still junior", m(turningTomorrow(18)).awards(35, 35, 30).challenge().consent().given(25), 100, 10, A, 10),
                Arguments.of("18 today: adult caps", m(aged(18)).awards(35, 35, 30).challenge().given(25), 100, 50, SA, 35),
                Arguments.of("13 cannot be an Assurer and earns no EP", m(turningTomorrow(14)).awards(35, 35, 30).challenge().consent().given(3), 100, 0, AM, 0),
                Arguments.of("14 today can be an Assurer", m(aged(14)).awards(35, 35, 30).challenge().consent().given(3), 100, 6, A, 10),
                Arguments.of("under 18 without parental consent is not assured", m(aged(16)).awards(35, 35, 30).challenge(), 100, 0, M, 0),
                Arguments.of("under 18 with consent is assured at 50", m(aged(16)).awards(35, 15).consent(), 50, 0, AM, 0),
                Arguments.of("founding assurer starts Senior", m(aged(50)).founding(), 100, 50, SA, 35),
                Arguments.of("TTP 70 plus top-up 30 reaches 100", m(aged(40)).awards(35, 35, 30), 100, 0, AM, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void derives_points_status_and_maximum(String name, Fact fact, int ap, int ep, MemberStatus status, int maxAward) {
        Standing s = PointsRules.standing(fact.facts(), TODAY);
        assertThat(s.assurancePoints()).as("AP").isEqualTo(ap);
        assertThat(s.experiencePoints()).as("EP").isEqualTo(ep);
        assertThat(s.total()).as("total").isEqualTo(ap + ep);
        assertThat(s.status()).as("status").isEqualTo(status);
        assertThat(s.maxAssurancePoints()).as("max award").isEqualTo(maxAward);
    }

    @Test
    void under_18_with_consent_but_ep_on_hold_counts_zero() {
        Standing s = PointsRules.standing(m(aged(16)).awards(35, 35, 29).challenge().consent().given(3).facts(), TODAY);
        assertThat(s.experiencePoints()).isZero();
    }

    @Test
    void counted_points_keep_awarded_and_counted_apart() {
        assertThat(PointsRules.countedPoints(35, 0)).isEqualTo(35);
        assertThat(PointsRules.countedPoints(35, 70)).isEqualTo(30);
        assertThat(PointsRules.countedPoints(35, 99)).isEqualTo(1);
        assertThat(PointsRules.countedPoints(35, 100)).isZero();
        assertThat(PointsRules.countedPoints(0, 50)).isZero();
    }

    @Test
    void reaching_100_takes_at_least_three_assurers() {
        int max = PointsRules.MAX_POINTS_PER_ASSURANCE;
        assertThat(PointsRules.assurancePoints(List.of(max, max), 0)).isLessThan(100);
        assertThat(PointsRules.assurancePoints(List.of(max, max, max), 0)).isEqualTo(100);
    }

    @Test
    void rights_follow_section_7() {
        IssuanceRights member = PointsRules.standing(m(aged(30)).facts(), TODAY).rights();
        assertThat(member.clientCertificate()).isTrue();
        assertThat(member.nameInCertificate()).isFalse();
        assertThat(member.class3Root()).isFalse();
        assertThat(member.maxValidityDays()).isEqualTo(180);

        IssuanceRights noEmail = PointsRules.standing(m(aged(30)).noEmail().facts(), TODAY).rights();
        assertThat(noEmail.clientCertificate()).isFalse();
        assertThat(noEmail.maxValidityDays()).isZero();

        IssuanceRights domainOnly = PointsRules.standing(m(aged(30)).domain().facts(), TODAY).rights();
        assertThat(domainOnly.serverCertificate()).isTrue();
        assertThat(domainOnly.wildcardServerCertificate()).isFalse();

        IssuanceRights assured = PointsRules.standing(m(aged(30)).awards(35, 15).domain().facts(), TODAY).rights();
        assertThat(assured.nameInCertificate()).isTrue();
        assertThat(assured.class3Root()).isTrue();
        assertThat(assured.wildcardServerCertificate()).isTrue();
        assertThat(assured.multipleSubjectAltNames()).isTrue();
        assertThat(assured.openPgpKeySigning()).isTrue();
        assertThat(assured.codeSigning()).isFalse();
        assertThat(assured.maxValidityDays()).isEqualTo(730);

        IssuanceRights assurerWithoutCodeSigning =
                PointsRules.standing(m(aged(30)).awards(35, 35, 30).challenge().facts(), TODAY).rights();
        assertThat(assurerWithoutCodeSigning.codeSigning()).isFalse();
        IssuanceRights codeSigner =
                PointsRules.standing(m(aged(30)).awards(35, 35, 30).challenge().codeSigning().facts(), TODAY).rights();
        assertThat(codeSigner.codeSigning()).isTrue();
        IssuanceRights assuredCodeSigningNotAssurer =
                PointsRules.standing(m(aged(30)).awards(35, 35).codeSigning().facts(), TODAY).rights();
        assertThat(assuredCodeSigningNotAssurer.codeSigning()).isFalse();
    }
}
