package org.trustledger.server.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Parsed and validated GraphQL documents, kept by their text: clients send the same few documents with
 * different variables, and graphql-java otherwise parses and validates each one again on every request
 * (bench/README.md: the largest share of a cheap query's cost outside the store).
 *
 * <p>Only documents that parsed and validated cleanly are kept, at most {@link #MAX_ENTRIES} of them, least
 * recently used first out, and none longer than {@link #MAX_CACHED_LENGTH} characters, so that a client
 * sending endless distinct documents costs the cache nothing but evictions. The depth and complexity limits
 * ({@link GraphQlLimits}) and the authorization rules run at execution, on every request, cached or not.
 */
@Configuration(proxyBeanMethods = false)
public class ParsedDocumentCache implements PreparsedDocumentProvider {

    static final int MAX_ENTRIES = 1_000;
    static final int MAX_CACHED_LENGTH = 16 * 1024;

    private final Map<String, PreparsedDocumentEntry> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    @Bean
    GraphQlSourceBuilderCustomizer parsedDocumentCacheCustomizer() {
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(this));
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        if (query == null || query.length() > MAX_CACHED_LENGTH) {
            return CompletableFuture.completedFuture(parseAndValidate.apply(input));
        }
        PreparsedDocumentEntry cached;
        synchronized (entries) {
            cached = entries.get(query);
        }
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        PreparsedDocumentEntry entry = parseAndValidate.apply(input);
        if (!entry.hasErrors()) {
            synchronized (entries) {
                entries.put(query, entry);
            }
        }
        return CompletableFuture.completedFuture(entry);
    }

    /** How many documents are kept now. */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
