package org.trustledger.server.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.trustledger.query.Mail;
import org.trustledger.query.MailOutbox;
import org.trustledger.server.config.TrustLedgerProperties;

/**
 * Drains the outbox to the SMTP server configured under {@code spring.mail.*}. A mail leaves the
 * unsent list only once the server accepted it, so a failing server delays mail, never loses it. With
 * no SMTP server configured, the outbox and the log are where mails go.
 */
@Component
public class MailRelay {

    private static final Logger log = LoggerFactory.getLogger(MailRelay.class);
    static final int BATCH = 50;
    private final MailOutbox outbox;
    private final JavaMailSender sender;
    private final String from;

    public MailRelay(MailOutbox outbox, ObjectProvider<JavaMailSender> sender, TrustLedgerProperties props) {
        this.outbox = outbox;
        this.sender = sender.getIfAvailable();
        this.from = props.mail().from();
        if (this.sender == null) {
            log.info("No SMTP server configured (spring.mail.host): mails stay in the outbox and the log");
        }
    }

    @Scheduled(fixedDelayString = "${trustledger.mail.relay:2s}")
    public void relay() {
        if (sender == null) {
            return;
        }
        for (Mail mail : outbox.unsent(BATCH)) {
            SimpleMailMessage message = new SimpleMailMessage();
            message.setFrom(from);
            message.setTo(mail.to());
            message.setSubject(mail.subject());
            message.setText(mail.body());
            try {
                sender.send(message);
                outbox.markSent(mail.id());
            } catch (MailException e) {
                log.warn("SMTP server refused or unreachable ({}); {} will be retried", e.getMessage(), mail.id());
                return;
            }
        }
    }
}
