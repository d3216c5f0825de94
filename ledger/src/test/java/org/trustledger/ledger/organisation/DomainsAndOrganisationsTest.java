package org.trustledger.ledger.organisation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.api.AddDomainCommand;
import org.trustledger.ledger.api.AddOrganisationDomainCommand;
import org.trustledger.ledger.api.AppointRoleCommand;
import org.trustledger.ledger.api.AssureOrganisationCommand;
import org.trustledger.ledger.api.ChangeOrganisationAdminCommand;
import org.trustledger.ledger.api.DomainControlRequested;
import org.trustledger.ledger.api.DomainVerified;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.OrganisationAdminChanged;
import org.trustledger.ledger.api.OrganisationDomainControlRequested;
import org.trustledger.ledger.api.OrganisationDomainVerified;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecogniseFoundingAssurerCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.RegisterMemberCommand;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.VerifyDomainCommand;
import org.trustledger.ledger.api.VerifyOrganisationDomainCommand;
import org.trustledger.ledger.member.MemberAggregateTest;
import org.trustledger.ledger.testing.LedgerHarness;
import org.trustledger.ledger.testing.TestMongo;

/** Domain control (member and organisation) and organisation assurance on the real event store. */
class DomainsAndOrganisationsTest {

    TestMongo mongo;
    LedgerHarness ledger;

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        ledger = new LedgerHarness(mongo.freshDatabase(), 50);
        for (String name : List.of("support", "alice", "bob")) {
            send(new RecogniseFoundingAssurerCommand(name, new PersonName(name, null, "Founder", null),
                    LocalDate.of(1970, 1, 1), name + "@founders.example", "founder passphrase", "test",
                    name.equals("support") ? List.of(Role.SUPPORT) : List.of()));
        }
    }

    @AfterEach
    void tearDown() {
        ledger.close();
        mongo.close();
    }

    <R> R send(Object command) {
        return ledger.commands().sendAndWait(command);
    }

    RefusalCode refusal(Object command) {
        return ((LedgerRefusal) org.junit.jupiter.api.Assertions.assertThrows(LedgerRefusal.class, () -> send(command)))
                .code();
    }

    <T> T last(String id, Class<T> type) {
        List<Object> events = ledger.eventStore().readEvents(id, 0).asStream().map(DomainEventMessage::getPayload)
                .map(p -> (Object) p).filter(type::isInstance).toList();
        return type.cast(events.get(events.size() - 1));
    }

    String plainMember() {
        send(new RegisterMemberCommand("plain", new PersonName("Pat", null, "Plain", null), LocalDate.of(1990, 1, 1),
                "pat@example.org", "a good passphrase", MemberAggregateTest.fiveQuestions()));
        return "plain";
    }

    @Test
    void a_member_proves_a_domain_by_the_token_mailed_to_an_approver_address_and_holds_it_alone() {
        assertThat(refusal(new AddDomainCommand("alice", "example.org", "info"))).isEqualTo(RefusalCode.DOMAIN_APPROVER_INVALID);
        for (String bad : List.of("*.example.org", "localhost", "192.168.1.1", "exa mple.org", "-x.example.org", "")) {
            assertThat(refusal(new AddDomainCommand("alice", bad, "hostmaster"))).as(bad).isEqualTo(RefusalCode.DOMAIN_INVALID);
        }
        send(new AddDomainCommand("alice", "Example.ORG.", "hostmaster"));
        DomainControlRequested requested = last("alice", DomainControlRequested.class);
        assertThat(requested.domain()).isEqualTo("example.org");
        assertThat(requested.approverEmail()).isEqualTo("hostmaster@example.org");
        String token = ledger.tokens.token("alice", "domain:example.org", requested.nonce());
        assertThat(refusal(new VerifyDomainCommand(token + "x"))).isEqualTo(RefusalCode.TOKEN_INVALID);
        assertThat(refusal(new VerifyOrganisationDomainCommand(token))).isEqualTo(RefusalCode.TOKEN_INVALID);
        assertThat((String) send(new VerifyDomainCommand(token))).isEqualTo("alice");
        assertThat(last("alice", DomainVerified.class).domain()).isEqualTo("example.org");
        assertThat(refusal(new VerifyDomainCommand(token))).isEqualTo(RefusalCode.DOMAIN_ALREADY_VERIFIED);
        assertThat(refusal(new AddDomainCommand("bob", "example.org", "admin"))).isEqualTo(RefusalCode.DOMAIN_TAKEN);

        send(new AddDomainCommand("bob", "late.example", "admin"));
        String late = ledger.tokens.token("bob", "domain:late.example", last("bob", DomainControlRequested.class).nonce());
        ledger.clock.advance(Duration.ofHours(49));
        assertThat(refusal(new VerifyDomainCommand(late))).isEqualTo(RefusalCode.TOKEN_EXPIRED);
    }

    @Test
    void only_an_organisation_assurer_assures_an_organisation_whose_admins_are_assurers() {
        String plain = plainMember();
        AssureOrganisationCommand widgets = new AssureOrganisationCommand("org-1", "alice", "Widgets Ltd", "de", null,
                "Berlin", List.of("bob"));
        assertThat(refusal(widgets)).isEqualTo(RefusalCode.NOT_AUTHORISED);
        send(new AppointRoleCommand("alice", Role.ORGANISATION_ASSURER, "support", "organisation assurance"));
        assertThat(refusal(new AssureOrganisationCommand("org-1", "alice", "Widgets Ltd", "DE", null, "Berlin",
                List.of(plain)))).isEqualTo(RefusalCode.ORGANISATION_ADMIN_NOT_ASSURER);
        assertThat(refusal(new AssureOrganisationCommand("org-1", "alice", "Widgets Ltd", "ZZ", null, "Berlin",
                List.of("bob")))).isEqualTo(RefusalCode.ORGANISATION_DETAILS_INVALID);
        assertThat(refusal(new AssureOrganisationCommand("org-1", "alice", " ", "DE", null, "Berlin",
                List.of("bob")))).isEqualTo(RefusalCode.ORGANISATION_DETAILS_INVALID);
        assertThat(refusal(new AssureOrganisationCommand("org-1", "alice", "Widgets Ltd", "DE", null, "Berlin",
                List.of()))).isEqualTo(RefusalCode.ORGANISATION_DETAILS_INVALID);
        send(widgets);
        OrganisationAdminChanged admin = last("org-1", OrganisationAdminChanged.class);
        assertThat(admin.organisationId()).isEqualTo("org-1");
        assertThat(admin.memberId()).isEqualTo("bob");

        assertThat(refusal(new ChangeOrganisationAdminCommand("org-1", plain, true, "alice")))
                .isEqualTo(RefusalCode.ORGANISATION_ADMIN_NOT_ASSURER);
        assertThat(refusal(new ChangeOrganisationAdminCommand("org-1", "bob", false, "alice")))
                .isEqualTo(RefusalCode.ORGANISATION_DETAILS_INVALID);
        assertThat(refusal(new ChangeOrganisationAdminCommand("org-9", "bob", true, "alice")))
                .isEqualTo(RefusalCode.ORGANISATION_NOT_FOUND);

        assertThat(refusal(new AddOrganisationDomainCommand("org-1", "widgets.example", "root", "alice")))
                .isEqualTo(RefusalCode.NOT_AUTHORISED);
        send(new AddOrganisationDomainCommand("org-1", "widgets.example", "root", "bob"));
        OrganisationDomainControlRequested requested = last("org-1", OrganisationDomainControlRequested.class);
        assertThat(requested.approverEmail()).isEqualTo("root@widgets.example");
        String token = ledger.tokens.token("org-1", OrganisationHandler.NONCE_SUBJECT + "widgets.example",
                requested.nonce());
        assertThat(refusal(new VerifyDomainCommand(token))).isEqualTo(RefusalCode.TOKEN_INVALID);
        assertThat((String) send(new VerifyOrganisationDomainCommand(token))).isEqualTo("org-1");
        assertThat(last("org-1", OrganisationDomainVerified.class).domain()).isEqualTo("widgets.example");
        assertThat(refusal(new AddDomainCommand("alice", "widgets.example", "root"))).isEqualTo(RefusalCode.DOMAIN_TAKEN);
    }
}
