package org.trustledger.server.graphql;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.ErrorType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Gives every GraphQL error an {@code extensions.code}, including the ones graphql-java raises before
 * any of our code runs (a document that does not parse or does not fit the schema).
 */
@Component
public class ErrorCodeInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return chain.next(request).map(response -> {
            List<GraphQLError> errors = response.getExecutionResult().getErrors();
            if (errors.stream().allMatch(e -> e.getExtensions() != null && e.getExtensions().containsKey("code"))) {
                return response;
            }
            return response.transform(builder -> builder.errors(errors.stream().map(ErrorCodeInterceptor::withCode).toList()));
        });
    }

    private static GraphQLError withCode(GraphQLError error) {
        if (error.getExtensions() != null && error.getExtensions().containsKey("code")) {
            return error;
        }
        ErrorClassification type = error.getErrorType();
        String code = type == ErrorType.InvalidSyntax ? "GRAPHQL_PARSE_FAILED"
                : type == ErrorType.ValidationError ? "GRAPHQL_VALIDATION_FAILED"
                : type == ErrorType.OperationNotSupported ? "OPERATION_NOT_SUPPORTED"
                : type == ErrorType.ExecutionAborted ? "QUERY_LIMIT_EXCEEDED"
                : "BAD_REQUEST";
        Map<String, Object> extensions = new HashMap<>(error.getExtensions() == null ? Map.of() : error.getExtensions());
        extensions.put("code", code);
        return GraphqlErrorBuilder.newError().message(error.getMessage()).locations(error.getLocations())
                .path(error.getPath()).errorType(type).extensions(extensions).build();
    }
}
