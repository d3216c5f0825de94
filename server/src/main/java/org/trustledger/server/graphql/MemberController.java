package org.trustledger.server.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.server.security.Caller;
import org.trustledger.server.security.Privacy;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import org.trustledger.ledger.api.MemberStatus;
import org.trustledger.ledger.rules.IssuanceRights;
import org.trustledger.ledger.rules.Standing;
import org.trustledger.query.AssuranceView;
import org.trustledger.query.Mail;
import org.trustledger.query.MailOutbox;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.MemberView;
import org.trustledger.server.config.TrustLedgerProperties;
import reactor.core.publisher.Mono;

/** Queries and the fields of Member and Assurance. Nested lists load in batches (no N+1). */
@Controller
public class MemberController {

    private final MemberReadModel readModel;
    private final Privacy privacy;
    private final MailOutbox outbox;
    private final boolean devMode;

    public MemberController(MemberReadModel readModel, MailOutbox outbox, TrustLedgerProperties props,
                            BatchLoaderRegistry loaders, Privacy privacy) {
        this.readModel = readModel;
        this.privacy = privacy;
        this.outbox = outbox;
        this.devMode = props.devMode();
        loaders.forTypePair(String.class, AssuranceView.class)
                .registerMappedBatchLoader((ids, env) -> Mono.fromCallable(() -> readModel.assurances(ids)));
    }

    @QueryMapping
    public MemberView member(@Argument String id) {
        return readModel.member(id).orElse(null);
    }

    /** Only the address's own member and support get an answer: nobody can probe which addresses exist. */
    @QueryMapping
    public MemberView memberByEmail(@Argument String email, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return readModel.memberByEmail(email).filter(m -> caller.is(m.id()) || caller.support()).orElse(null);
    }

    @QueryMapping
    public MemberView me(@ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return readModel.member(caller.memberId()).orElse(null);
    }

    /** An assurance is seen by its two parties, support and arbitrators. */
    @QueryMapping
    public AssuranceView assurance(@Argument String id, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return readModel.assurance(id).filter(a -> caller.is(a.assurerId()) || caller.is(a.assureeId())
                || caller.support() || caller.has(org.trustledger.ledger.api.Role.ARBITRATOR)).orElse(null);
    }

    @QueryMapping
    public List<Mail> devOutbox(@Argument String to) {
        if (!devMode) {
            throw new ApiException(ErrorCode.DEV_MODE_DISABLED,
                    "devOutbox is available only when the server runs with trustledger.dev-mode=true.");
        }
        return outbox.mailsTo(to);
    }

    @SchemaMapping(typeName = "Member")
    public MemberStatus status(MemberView member) {
        return member.standing().status();
    }

    @SchemaMapping(typeName = "Member")
    public Types.Points points(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        if (!privacy.maySeePrivate(caller, member.id())) {
            return null;
        }
        Standing s = member.standing();
        return new Types.Points(s.assurancePoints(), s.experiencePoints(), s.total(), s.maxAssurancePoints());
    }

    @SchemaMapping(typeName = "Member")
    public IssuanceRights rights(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privacy.maySeePrivate(caller, member.id()) ? member.standing().rights() : null;
    }

    @SchemaMapping(typeName = "Member")
    public PersonName name(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privacy.maySeePrivate(caller, member.id()) ? member.name() : null;
    }

    @SchemaMapping(typeName = "Member")
    public java.time.LocalDate dateOfBirth(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privacy.maySeePrivate(caller, member.id()) ? member.dateOfBirth() : null;
    }

    @SchemaMapping(typeName = "Member")
    public List<String> emails(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        if (!privacy.maySeePrivate(caller, member.id())) {
            return null;
        }
        List<String> emails = new ArrayList<>();
        emails.add(member.primaryEmail());
        member.verifiedEmails().stream().filter(e -> !e.equals(member.primaryEmail())).forEach(emails::add);
        return emails;
    }

    @SchemaMapping(typeName = "Member")
    public List<String> verifiedDomains(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privacy.maySeePrivate(caller, member.id()) ? member.verifiedDomains() : List.of();
    }

    @SchemaMapping(typeName = "Member")
    public boolean emailVerified(MemberView member) {
        return member.verifiedEmails().contains(member.primaryEmail());
    }

    // An account's state says things about a person (locked or deleted by a ruling, under 18): private as points.
    @SchemaMapping(typeName = "Member")
    public Boolean accountExpired(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privateTo(caller, member, member.accountExpired());
    }

    @SchemaMapping(typeName = "Member")
    public Boolean locked(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privateTo(caller, member, member.locked());
    }

    @SchemaMapping(typeName = "Member")
    public Boolean blockedAsAssurer(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privateTo(caller, member, member.blockedAsAssurer());
    }

    @SchemaMapping(typeName = "Member")
    public Boolean parentalConsent(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privateTo(caller, member, member.parentalConsent());
    }

    @SchemaMapping(typeName = "Member")
    public Boolean deleted(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privateTo(caller, member, member.deleted());
    }

    /** The value where the caller may see the member's private data, else null. */
    private <T> T privateTo(Caller caller, MemberView member, T value) {
        return privacy.maySeePrivate(caller, member.id()) ? value : null;
    }

    @SchemaMapping(typeName = "Member")
    public List<String> roles(MemberView member) {
        return member.roles();
    }

    @SchemaMapping(typeName = "Member")
    public CompletableFuture<Types.AssuranceConnection> assurancesReceived(MemberView member, @Argument Integer first,
            @Argument String after, DataLoader<String, AssuranceView> assurances,
            @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        List<String> ids = privacy.maySeePrivate(caller, member.id()) ? member.receivedAssuranceIds() : List.of();
        Pages.Window window = Pages.window(ids.size(), first, after);
        return connection(ids.subList(window.from(), window.to()), window, assurances);
    }

    @SchemaMapping(typeName = "Member")
    public CompletableFuture<Types.AssuranceConnection> assurancesGiven(MemberView member, @Argument Integer first,
            @Argument String after, DataLoader<String, AssuranceView> assurances,
            @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        int count = privacy.maySeePrivate(caller, member.id()) ? member.givenCount() : 0;
        Pages.Window window = Pages.window(count, first, after);
        return connection(readModel.givenAssuranceIds(member.id(), window.from(), window.to()), window, assurances);
    }

    private static CompletableFuture<Types.AssuranceConnection> connection(List<String> pageIds, Pages.Window window,
            DataLoader<String, AssuranceView> assurances) {
        return assurances.loadMany(pageIds).thenApply(views -> {
            List<Types.AssuranceEdge> edges = new ArrayList<>(views.size());
            for (int i = 0; i < views.size(); i++) {
                if (views.get(i) != null) {
                    edges.add(new Types.AssuranceEdge(Pages.cursor(window.from() + i), views.get(i)));
                }
            }
            String start = edges.isEmpty() ? null : edges.get(0).cursor();
            String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
            return new Types.AssuranceConnection(edges,
                    new Types.PageInfo(window.hasNext(), window.from() > 0, start, end), window.total());
        });
    }

    @BatchMapping(typeName = "Assurance")
    public Map<AssuranceView, MemberView> assurer(List<AssuranceView> assurances) {
        return parties(assurances, true);
    }

    @BatchMapping(typeName = "Assurance")
    public Map<AssuranceView, MemberView> assuree(List<AssuranceView> assurances) {
        return parties(assurances, false);
    }

    private Map<AssuranceView, MemberView> parties(List<AssuranceView> assurances, boolean assurer) {
        Map<String, MemberView> members = readModel.members(
                assurances.stream().map(a -> assurer ? a.assurerId() : a.assureeId()).distinct().toList());
        Map<AssuranceView, MemberView> result = new HashMap<>();
        for (AssuranceView a : assurances) {
            MemberView m = members.get(assurer ? a.assurerId() : a.assureeId());
            if (m != null) {
                result.put(a, m);
            }
        }
        return result;
    }
}
