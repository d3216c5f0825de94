package org.trustledger.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionInput;
import graphql.GraphqlErrorBuilder;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.parser.Parser;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ParsedDocumentCacheTest {

    private final AtomicInteger parsed = new AtomicInteger();
    private final Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate = input -> {
        parsed.incrementAndGet();
        if (input.getQuery().contains("invalid")) {
            return new PreparsedDocumentEntry(GraphqlErrorBuilder.newError().message("invalid").build());
        }
        return new PreparsedDocumentEntry(Parser.parse(input.getQuery()));
    };

    private PreparsedDocumentEntry ask(ParsedDocumentCache cache, String query) {
        return cache.getDocumentAsync(ExecutionInput.newExecutionInput(query).build(), parseAndValidate).join();
    }

    @Test
    void aDocumentIsParsedOnceAndServedFromTheCacheWithItsVariablesAnyTime() {
        ParsedDocumentCache cache = new ParsedDocumentCache();
        PreparsedDocumentEntry first = ask(cache, "query($id: ID!) { member(id: $id) { status } }");
        PreparsedDocumentEntry second = ask(cache, "query($id: ID!) { member(id: $id) { status } }");
        assertThat(parsed).hasValue(1);
        assertThat(second).isSameAs(first);
        ask(cache, "{ __typename }");
        assertThat(parsed).hasValue(2);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void documentsWithErrorsAndOverlongDocumentsAreNeverKept() {
        ParsedDocumentCache cache = new ParsedDocumentCache();
        assertThat(ask(cache, "{ invalid }").hasErrors()).isTrue();
        assertThat(ask(cache, "{ invalid }").hasErrors()).isTrue();
        assertThat(parsed).hasValue(2);
        String overlong = "{ __typename " + " ".repeat(ParsedDocumentCache.MAX_CACHED_LENGTH) + "}";
        ask(cache, overlong);
        ask(cache, overlong);
        assertThat(parsed).hasValue(4);
        assertThat(cache.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedDocumentLeavesFirstOnceTheCacheIsFull() {
        ParsedDocumentCache cache = new ParsedDocumentCache();
        ask(cache, "{ a0: __typename }");
        for (int i = 1; i <= ParsedDocumentCache.MAX_ENTRIES; i++) {
            ask(cache, "{ a" + i + ": __typename }");
            ask(cache, "{ a0: __typename }"); // kept in use
        }
        assertThat(cache.size()).isEqualTo(ParsedDocumentCache.MAX_ENTRIES);
        int before = parsed.get();
        ask(cache, "{ a0: __typename }");
        assertThat(parsed).hasValue(before);
        ask(cache, "{ a1: __typename }"); // the eldest, evicted
        assertThat(parsed).hasValue(before + 1);
    }
}
