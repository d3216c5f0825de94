package org.trustledger.server.issuance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.issuance.CertificateView;
import org.trustledger.query.MailOutbox;
import org.trustledger.query.MemberReadModel;

/**
 * Warns owners that a certificate expires (DOMAIN.md section 8: 45, 30, 15 and 1 days ahead) through
 * the outbox. Each warning's outbox key is the serial and the threshold, so running again, on any
 * node, never mails twice; a check missed while the server was down is caught up by the next one.
 */
@Component
public class ExpiryWarnings {

    static final List<Integer> DAYS_AHEAD = List.of(1, 15, 30, 45);
    private final CertificateRegister register;
    private final MemberReadModel members;
    private final MailOutbox outbox;
    private final Clock clock;

    public ExpiryWarnings(CertificateRegister register, MemberReadModel members, MailOutbox outbox, Clock clock) {
        this.register = register;
        this.members = members;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT30S", fixedDelayString = "${trustledger.issuance.expiry-check:PT1H}")
    public void check() {
        warnAsOf(clock.instant());
    }

    /** Queues the warnings due at {@code now}; returns how many new ones. */
    public int warnAsOf(Instant now) {
        int[] queued = {0};
        register.forEachUnrevoked(c -> {
            if (c.status(now) != CertificateView.Status.VALID) {
                return;
            }
            long left = Duration.between(now, c.notAfter()).toDays();
            DAYS_AHEAD.stream().filter(d -> left < d).findFirst().ifPresent(d -> members.member(c.memberId())
                    .filter(m -> m.verifiedEmails().contains(m.primaryEmail())).ifPresent(m -> {
                        String key = "expiry:" + c.serial() + ":" + d;
                        String body = "Your certificate " + c.subject() + " (serial " + c.serial() + ", " + String.join(", ",
                                c.subjectAltNames()) + ") expires on " + c.notAfter() + ", in less than " + d
                                + (d == 1 ? " day" : " days") + ".\n\nRequest a new one with requestCertificate before"
                                + " then; the old one stays valid until it expires.\n";
                        if (outbox.enqueue(key, m.primaryEmail(), "Your certificate expires in less than " + d
                                + (d == 1 ? " day" : " days"), body, null, now)) {
                            queued[0]++;
                        }
                    }));
        });
        return queued[0];
    }
}
