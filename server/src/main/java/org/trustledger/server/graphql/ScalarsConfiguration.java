package org.trustledger.server.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/** The contract's {@code Date} (ISO-8601 date) and {@code DateTime} (ISO-8601 instant) scalars. */
@Configuration(proxyBeanMethods = false)
public class ScalarsConfiguration {

    @Bean
    RuntimeWiringConfigurer ledgerScalars() {
        return wiring -> wiring
                .scalar(scalar("Date", "an ISO-8601 date such as 1990-04-01", LocalDate.class, LocalDate::parse))
                .scalar(scalar("DateTime", "an ISO-8601 instant such as 2026-11-23T10:15:30Z", Instant.class,
                        Instant::parse));
    }

    private static <T> GraphQLScalarType scalar(String name, String shape, Class<T> type, Function<String, T> parse) {
        return GraphQLScalarType.newScalar().name(name).description(shape).coercing(new Coercing<T, String>() {
            @Override
            public String serialize(Object value, GraphQLContext context, Locale locale) {
                if (type.isInstance(value)) {
                    return value.toString();
                }
                throw new CoercingSerializeException(name + " cannot represent " + value);
            }

            @Override
            public T parseValue(Object input, GraphQLContext context, Locale locale) {
                if (input instanceof String s) {
                    return parseOr(s, e -> new CoercingParseValueException(message(s)));
                }
                throw new CoercingParseValueException(name + " must be a string: " + shape);
            }

            @Override
            public T parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                if (input instanceof StringValue s) {
                    return parseOr(s.getValue(), e -> new CoercingParseLiteralException(message(s.getValue())));
                }
                throw new CoercingParseLiteralException(name + " must be a string: " + shape);
            }

            private String message(String value) {
                String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
                return "'" + shown + "' is not a valid " + name + ": expected " + shape;
            }

            private T parseOr(String value, Function<RuntimeException, RuntimeException> error) {
                try {
                    return parse.apply(value);
                } catch (DateTimeParseException e) {
                    throw error.apply(e);
                }
            }
        }).build();
    }
}
