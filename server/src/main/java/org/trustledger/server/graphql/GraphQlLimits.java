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
    static final int TRUST_GRAPH_COST = 400;

    @Bean
    MaxQueryDepthInstrumentation maxQueryDepth() {
        return new MaxQueryDepthInstrumentation(MAX_DEPTH);
    }

    /**
     * Every field costs 1 plus its children, except the trust graph: one {@code trustGraph} reads every
     * assurance of its selection (the whole graph without a centre), so it costs {@link #TRUST_GRAPH_COST}
     * and one document holds at most four of them (a thousand aliased whole-graph reads fitted before).
     */
    @Bean
    MaxQueryComplexityInstrumentation maxQueryComplexity() {
        return new MaxQueryComplexityInstrumentation(MAX_COMPLEXITY, (env, children) ->
                (env.getField().getName().equals("trustGraph") ? TRUST_GRAPH_COST : 1) + children);
    }
}
