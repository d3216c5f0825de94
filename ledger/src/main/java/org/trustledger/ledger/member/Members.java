package org.trustledger.ledger.member;

import java.util.function.Supplier;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.api.LedgerRefusal;

/** Loading a member inside a unit of work, with the refusal to answer when there is none. */
public final class Members {

    private Members() {
    }

    public static Aggregate<Member> load(Repository<Member> members, String id, Supplier<LedgerRefusal> notFound) {
        if (id == null) {
            throw notFound.get();
        }
        try {
            return members.load(id);
        } catch (AggregateNotFoundException | IncompatibleAggregateException e) {
            throw notFound.get(); // none, or the id of an organisation, a case, a request: not a member
        }
    }
}
