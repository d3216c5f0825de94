package org.trustledger.query;

import java.time.Instant;

/** A mail in the outbox; {@code token} is set for mails that carry an email-verification token. */
public record Mail(String id, String to, String subject, String body, String token, Instant sentAt) {
}
