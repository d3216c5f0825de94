package org.trustledger.server.graphql;

import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.ledger.api.AddOrganisationDomainCommand;
import org.trustledger.ledger.api.AssureOrganisationCommand;
import org.trustledger.ledger.api.ChangeOrganisationAdminCommand;
import org.trustledger.ledger.api.VerifyOrganisationDomainCommand;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.MemberView;
import org.trustledger.query.OrganisationProjection;
import org.trustledger.query.OrganisationView;

/** Organisations over GraphQL: assurance by Organisation Assurers, administrators, domains. */
@Controller
public class OrganisationController {

    private final CommandGateway commands;
    private final OrganisationProjection organisations;
    private final MemberReadModel members;
    private final ReadModelSync sync;

    public OrganisationController(CommandGateway commands, OrganisationProjection organisations, MemberReadModel members,
                                  ReadModelSync sync) {
        this.sync = sync;
        this.commands = commands;
        this.organisations = organisations;
        this.members = members;
    }

    record AssureOrganisationInput(String assurerId, String name, String country, String state, String locality,
                                   List<String> adminIds) {
    }

    record OrganisationPayload(OrganisationView organisation, Types.Refusal error) {
    }

    @QueryMapping
    public OrganisationView organisation(@Argument String id) {
        return organisations.organisation(id).orElse(null);
    }

    @MutationMapping
    public OrganisationPayload assureOrganisation(@Argument AssureOrganisationInput input) {
        String id = UUID.randomUUID().toString();
        return payload(() -> commands.sendAndWait(new AssureOrganisationCommand(id, input.assurerId(), input.name(),
                input.country(), input.state(), input.locality(), input.adminIds())), id);
    }

    @MutationMapping
    public OrganisationPayload changeOrganisationAdmin(@Argument String organisationId, @Argument String memberId,
                                                       @Argument boolean admin, @Argument String changedBy) {
        return payload(() -> commands.sendAndWait(new ChangeOrganisationAdminCommand(organisationId, memberId, admin,
                changedBy)), organisationId);
    }

    @MutationMapping
    public OrganisationPayload addOrganisationDomain(@Argument String organisationId, @Argument String domain,
                                                     @Argument String approver, @Argument String requestedBy) {
        return payload(() -> commands.sendAndWait(new AddOrganisationDomainCommand(organisationId, domain, approver,
                requestedBy)), organisationId);
    }

    @MutationMapping
    public OrganisationPayload verifyOrganisationDomain(@Argument String token) {
        String[] id = new String[1];
        OrganisationPayload refused = payload(() -> id[0] = commands.sendAndWait(
                new VerifyOrganisationDomainCommand(token)), null);
        return id[0] == null ? refused : shown(id[0]);
    }

    @SchemaMapping(typeName = "Organisation")
    public List<MemberView> admins(OrganisationView org) {
        return List.copyOf(members.members(org.adminIds()).values());
    }

    @SchemaMapping(typeName = "Organisation")
    public MemberView assuredBy(OrganisationView org) {
        return members.member(org.assuredBy()).orElse(null);
    }

    private OrganisationPayload payload(Runnable send, String id) {
        try {
            send.run();
        } catch (RuntimeException e) {
            return new OrganisationPayload(null, LedgerMutations.refusal(e));
        }
        return id == null ? null : shown(id);
    }

    private OrganisationPayload shown(String id) {
        sync.await(id, organisations::lastSequence);
        return new OrganisationPayload(organisations.organisation(id).orElseThrow(), null);
    }
}
