package org.trustledger.server.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/** Errors that end a subscription, with the same codes as {@link GraphQlErrors} gives queries and mutations. */
@Component
public class SubscriptionErrors extends SubscriptionExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionErrors.class);

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return GraphqlErrorBuilder.newError().message(api.getMessage())
                        .errorType(api.code() == ErrorCode.INTERNAL ? ErrorType.INTERNAL_ERROR : ErrorType.BAD_REQUEST)
                        .extensions(Map.of("code", api.code().name())).build();
            }
        }
        String incident = UUID.randomUUID().toString();
        log.error("Subscription failed (incident {})", incident, ex);
        return GraphqlErrorBuilder.newError().message("Internal error; incident " + incident + " is in the server log.")
                .errorType(ErrorType.INTERNAL_ERROR).extensions(Map.of("code", ErrorCode.INTERNAL.name())).build();
    }
}
