package org.trustledger.server.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * GraphiQL at {@code /graphiql}. Spring for GraphQL's own page loads its scripts from a public CDN and
 * stays blank offline; this one uses the GraphiQL, React and ReactDOM builds shipped in the jar.
 */
@Configuration(proxyBeanMethods = false)
public class GraphiQlPage {

    @Bean
    RouterFunction<ServerResponse> graphiQlRoute() {
        ClassPathResource page = new ClassPathResource("graphiql-page/index.html");
        return RouterFunctions.route()
                .GET("/graphiql", request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).body(page))
                .GET("/", request -> ServerResponse.temporaryRedirect(java.net.URI.create("/graphiql")).build())
                .build();
    }
}
