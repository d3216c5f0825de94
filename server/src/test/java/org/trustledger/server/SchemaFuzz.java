package org.trustledger.server;

import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The GraphQL contract read as the server reads it ({@code classpath*:graphql/**}), turned into random
 * calls of its mutations: a valid document whose variables are generated from each argument's declared
 * type. For {@link MutationFuzzTest}.
 */
final class SchemaFuzz {

    private final TypeDefinitionRegistry types;
    private final List<FieldDefinition> mutations;

    private SchemaFuzz(TypeDefinitionRegistry types, List<FieldDefinition> mutations) {
        this.types = types;
        this.mutations = mutations;
    }

    static SchemaFuzz load() {
        try {
            StringBuilder sdl = new StringBuilder();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:graphql/**/*.graphqls")) {
                sdl.append(r.getContentAsString(StandardCharsets.UTF_8)).append('\n');
            }
            TypeDefinitionRegistry registry = new SchemaParser().parse(sdl.toString());
            List<FieldDefinition> fields = new ArrayList<>();
            registry.getType("Mutation", ObjectTypeDefinition.class).ifPresent(t -> fields.addAll(t.getFieldDefinitions()));
            registry.objectTypeExtensions().getOrDefault("Mutation", List.of())
                    .forEach(t -> fields.addAll(t.getFieldDefinitions()));
            if (fields.size() < 30) {
                throw new IllegalStateException("only " + fields.size() + " mutations found in the schema");
            }
            return new SchemaFuzz(registry, fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<FieldDefinition> mutations() {
        return mutations;
    }

    /** A call of {@code field} with generated arguments; "$ME" stands for the caller's id. */
    MutationFuzzTest.Call call(FieldDefinition field, Random random, List<String> strings) {
        Map<String, Object> variables = new HashMap<>();
        List<String> declarations = new ArrayList<>();
        List<String> arguments = new ArrayList<>();
        for (InputValueDefinition arg : field.getInputValueDefinitions()) {
            declarations.add("$" + arg.getName() + ": " + print(arg.getType()));
            arguments.add(arg.getName() + ": $" + arg.getName());
            variables.put(arg.getName(), value(arg.getType(), arg.getName(), random, strings, 0));
        }
        String returned = named(field.getType());
        boolean payload = types.getType(returned, ObjectTypeDefinition.class)
                .map(t -> t.getFieldDefinitions().stream().anyMatch(f -> f.getName().equals("error"))).orElse(false);
        String document = "mutation" + (declarations.isEmpty() ? "" : "(" + String.join(", ", declarations) + ")")
                + " { " + field.getName() + (arguments.isEmpty() ? "" : "(" + String.join(", ", arguments) + ")")
                + " { __typename" + (payload ? " error { code message }" : "") + " } }";
        return new MutationFuzzTest.Call(field.getName(), document, variables);
    }

    private Object value(Type<?> type, String name, Random random, List<String> strings, int depth) {
        if (type instanceof NonNullType nonNull) {
            return value(nonNull.getType(), name, random, strings, depth);
        }
        if (type instanceof ListType list) {
            List<Object> values = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                values.add(value(list.getType(), name, random, strings, depth + 1));
            }
            return values;
        }
        String typeName = ((TypeName) type).getName();
        switch (typeName) {
            case "ID":
                return random.nextInt(3) == 0 ? strings.get(random.nextInt(strings.size())) : "$ME";
            case "String":
                return strings.get(random.nextInt(strings.size()));
            case "Int":
                return random.nextBoolean() ? random.nextInt() : List.of(0, -1, 1, 35, 36, 100, 731).get(random.nextInt(7));
            case "Float":
                return random.nextBoolean() ? random.nextDouble() * 1e6 : -1.5;
            case "Boolean":
                return random.nextBoolean();
            case "Date":
                return List.of("1900-01-01", "2999-12-31", "2026-02-30", "1990-13-01", "", "1980-05-05")
                        .get(random.nextInt(6));
            case "DateTime":
                return List.of("2026-11-23T12:00:00Z", "1970-01-01T00:00:00Z", "2026-11-23", "not a time", "9999-12-31T23:59:59Z")
                        .get(random.nextInt(5));
            default:
                break;
        }
        var enumType = types.getType(typeName, EnumTypeDefinition.class);
        if (enumType.isPresent()) {
            List<EnumValueDefinition> values = enumType.get().getEnumValueDefinitions();
            return values.get(random.nextInt(values.size())).getName();
        }
        var input = types.getType(typeName, InputObjectTypeDefinition.class);
        if (input.isPresent() && depth < 4) {
            Map<String, Object> fields = new HashMap<>();
            for (InputValueDefinition f : input.get().getInputValueDefinitions()) {
                if (f.getType() instanceof NonNullType || random.nextBoolean()) {
                    fields.put(f.getName(), value(f.getType(), f.getName(), random, strings, depth + 1));
                }
            }
            return fields;
        }
        return strings.get(random.nextInt(strings.size()));
    }

    private static String print(Type<?> type) {
        if (type instanceof NonNullType n) {
            return print(n.getType()) + "!";
        }
        if (type instanceof ListType l) {
            return "[" + print(l.getType()) + "]";
        }
        return ((TypeName) type).getName();
    }

    private static String named(Type<?> type) {
        if (type instanceof NonNullType n) {
            return named(n.getType());
        }
        if (type instanceof ListType l) {
            return named(l.getType());
        }
        return ((TypeName) type).getName();
    }

    @Override
    public String toString() {
        return mutations.stream().map(FieldDefinition::getName).collect(Collectors.joining(", "));
    }
}
