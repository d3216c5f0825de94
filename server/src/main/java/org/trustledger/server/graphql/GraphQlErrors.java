package org.trustledger.server.graphql;

import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.query.ReadModelLagging;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.Map;
import org.axonframework.modelling.command.ConcurrencyException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.server.web.StoreUnavailable;

/**
 * The one place that turns exceptions into GraphQL errors. Known ones keep their message and code;
 * anything else is logged with an incident id and answered with that id only (no stack trace, no
 * internal message).
 */
@Component
public class GraphQlErrors extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(GraphQlErrors.class);

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (ex instanceof ApiException api) {
            return error(env, api.code().name(), api.getMessage(),
                    api.code() == ErrorCode.INTERNAL ? ErrorType.INTERNAL_ERROR : ErrorType.BAD_REQUEST);
        }
        if (ex instanceof LedgerRefusal refusal) {
            return GraphqlErrorBuilder.newError(env).message(refusal.getMessage()).errorType(ErrorType.BAD_REQUEST)
                    .extensions(Map.of("code", ErrorCode.REFUSED.name(), "refusal", refusal.code().name())).build();
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ReadModelLagging lagging) {
                return error(env, ErrorCode.READ_MODEL_LAGGING.name(), lagging.getMessage(), ErrorType.INTERNAL_ERROR);
            }
            if (t instanceof IssuanceRefusal refusal) {
                return GraphqlErrorBuilder.newError(env).message(refusal.getMessage()).errorType(ErrorType.BAD_REQUEST)
                        .extensions(Map.of("code", ErrorCode.REFUSED.name(), "refusal", refusal.code().name())).build();
            }
            if (t instanceof org.axonframework.eventsourcing.IncompatibleAggregateException) {
                // An id of one kind of record given where another kind is expected (a member's id as a case
                // or an organisation): the ledger's events for it belong to something else. Nothing recorded.
                return error(env, ErrorCode.BAD_USER_INPUT.name(), "No such record: the id given names something"
                        + " of another kind (a member, an organisation, a case or a certificate request).",
                        ErrorType.BAD_REQUEST);
            }
            if (t instanceof ConcurrencyException) {
                return error(env, ErrorCode.CONFLICT.name(),
                        "Someone else changed the same member at the same moment; nothing was recorded. Retry.",
                        ErrorType.BAD_REQUEST);
            }
        }
        if (StoreUnavailable.isUnreachable(ex)) {
            log.warn("Store unavailable in {}: {}", env.getExecutionStepInfo().getPath(), ex.toString());
            return error(env, ErrorCode.STORE_UNAVAILABLE.name(), StoreUnavailable.MESSAGE, ErrorType.INTERNAL_ERROR);
        }
        String incident = UUID.randomUUID().toString();
        log.error("Unexpected failure in {} (incident {})", env.getExecutionStepInfo().getPath(), incident, ex);
        return error(env, ErrorCode.INTERNAL.name(), "Internal error; incident " + incident + " is in the server log.",
                ErrorType.INTERNAL_ERROR);
    }

    private static GraphQLError error(DataFetchingEnvironment env, String code, String message, ErrorType type) {
        return GraphqlErrorBuilder.newError(env).message(message).errorType(type).extensions(Map.of("code", code))
                .build();
    }
}
