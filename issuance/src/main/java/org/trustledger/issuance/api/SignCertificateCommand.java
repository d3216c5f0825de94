package org.trustledger.issuance.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sign what a request reserved (its serial and linted contents), exactly as reserved. */
public record SignCertificateCommand(@TargetAggregateIdentifier String requestId) {
}
