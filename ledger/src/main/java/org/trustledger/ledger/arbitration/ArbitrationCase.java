package org.trustledger.ledger.arbitration;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Clock;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.trustledger.ledger.api.ArbitratorAssigned;
import org.trustledger.ledger.api.CaseClosed;
import org.trustledger.ledger.api.CaseFiled;
import org.trustledger.ledger.api.CloseCaseCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.RulingMade;

/** An arbitration case: parties, the assigned arbitrator, open or closed, and its rulings. */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ArbitrationCase {

    @AggregateIdentifier
    private String caseId;
    private String claimantId;
    private String respondentId;
    private String arbitratorId;
    private boolean closed;

    protected ArbitrationCase() {
        // for Axon
    }

    /** Created by {@link ArbitrationHandler}, which has numbered the case. */
    ArbitrationCase(CaseFiled filed) {
        apply(filed);
    }

    @CommandHandler
    public void handle(CloseCaseCommand cmd, Clock clock) {
        requireRulingBy(cmd.arbitratorId());
        String resolution = cmd.resolution() == null ? "" : cmd.resolution().strip();
        if (resolution.isEmpty() || resolution.length() > 2000) {
            throw new LedgerRefusal(RefusalCode.REASON_REQUIRED, "Closing a case needs a resolution (at most 2000 characters).");
        }
        apply(new CaseClosed(caseId, cmd.arbitratorId(), resolution, clock.instant()));
    }

    void assign(String arbitrator, String assignedBy, java.time.Instant now) {
        if (closed) {
            throw new LedgerRefusal(RefusalCode.CASE_CLOSED, "Case " + caseId + " is closed.");
        }
        if (arbitratorId != null) {
            throw new LedgerRefusal(RefusalCode.CASE_ALREADY_ASSIGNED, "Case " + caseId + " already has an arbitrator.");
        }
        if (arbitrator.equals(claimantId) || arbitrator.equals(respondentId)) {
            throw new LedgerRefusal(RefusalCode.ARBITRATOR_IS_PARTY, "A party to the case cannot arbitrate it.");
        }
        apply(new ArbitratorAssigned(caseId, arbitrator, assignedBy, now));
    }

    /** Only the assigned arbitrator of an open case may rule in it. */
    void requireRulingBy(String arbitrator) {
        if (closed) {
            throw new LedgerRefusal(RefusalCode.CASE_CLOSED, "Case " + caseId + " is closed: no more rulings.");
        }
        if (arbitratorId == null || !arbitratorId.equals(arbitrator)) {
            throw new LedgerRefusal(RefusalCode.NOT_ASSIGNED_ARBITRATOR,
                    "Only the arbitrator assigned to case " + caseId + " may rule in it.");
        }
    }

    void record(RulingMade ruling) {
        apply(ruling);
    }

    String caseId() {
        return caseId;
    }

    @EventSourcingHandler
    void on(CaseFiled e) {
        caseId = e.caseId();
        claimantId = e.claimantId();
        respondentId = e.respondentId();
    }

    @EventSourcingHandler
    void on(ArbitratorAssigned e) {
        arbitratorId = e.arbitratorId();
    }

    @EventSourcingHandler
    void on(CaseClosed e) {
        closed = true;
    }
}
