package org.trustledger.server.graphql;

import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hostile-input limits on every GraphQL document: nesting depth and total field complexity are bounded
 * before execution, so a nested query over the trust graph cannot wear the server down. (The document
 * size is bounded before parsing by {@link org.trustledger.server.web.RequestLimits}.)
 */
@Configuration(proxyBeanMethods = false)
public class GraphQlLimits {

    /** Deep enough for GraphiQL's introspection query (about 13 levels) and every real client query. */
    public static final int MAX_DEPTH = 15;
    public static final int MAX_COMPLEXITY = 2_000;

    @Bean
    MaxQueryDepthInstrumentation maxQueryDepth() {
        return new MaxQueryDepthInstrumentation(MAX_DEPTH);
    }

    @Bean
    MaxQueryComplexityInstrumentation maxQueryComplexity() {
        return new MaxQueryComplexityInstrumentation(MAX_COMPLEXITY);
    }
}
