package org.trustledger.server.config;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Which MongoDB the ledger uses. With {@code spring.mongodb.uri} set (env SPRING_MONGODB_URI), that
 * one (a replica set in production); otherwise the embedded server, started here. Nothing else differs.
 */
@Configuration(proxyBeanMethods = false)
public class MongoConfiguration {

    static final String URI_PROPERTY = "spring.mongodb.uri";
    /** Spring Boot 3's name, silently ignored by Boot 4: refuse it rather than run on the wrong store. */
    static final String LEGACY_URI_PROPERTY = "spring.data.mongodb.uri";

    @Bean
    MongoDatabase ledgerDatabase(MongoClient client, MongoConnectionDetails details, TrustLedgerProperties props) {
        String name = details.getConnectionString().getDatabase();
        return client.getDatabase(StringUtils.hasText(name) ? name : props.embedded().database());
    }

    /**
     * How a writer that chooses what must survive a crash makes it durable: on the embedded default, a
     * commit of its store; on a configured MongoDB (a replica set, or the standalone embedded store),
     * nothing more than the write, which is acknowledged once durable.
     */
    @Bean
    StoreDurability storeDurability(org.springframework.beans.factory.ObjectProvider<EmbeddedMongo> embedded) {
        EmbeddedMongo mongo = embedded.getIfAvailable();
        return mongo == null ? StoreDurability.EACH_WRITE : mongo::awaitDurable;
    }

    /** Active when no MongoDB URI is configured: the embedded default. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(NoMongoUri.class)
    static class Embedded {

        @Bean(destroyMethod = "close")
        EmbeddedMongo embeddedMongo(TrustLedgerProperties props) {
            return "memory".equalsIgnoreCase(props.embedded().storage())
                    ? EmbeddedMongo.inMemory()
                    : EmbeddedMongo.onFile(props.dataDir(), (int) props.embedded().cacheSize().toMegabytes());
        }

        @Bean
        MongoConnectionDetails mongoConnectionDetails(EmbeddedMongo mongo, TrustLedgerProperties props) {
            ConnectionString uri = new ConnectionString(mongo.connectionString(props.embedded().database()));
            return () -> uri;
        }

        @Bean
        MongoClientSettingsBuilderCustomizer commitEmbeddedStoreAfterWrites(EmbeddedMongo mongo) {
            return settings -> settings.addCommandListener(mongo.commitAfterWrite()).applicationName(mongo.clientName());
        }
    }

    static class NoMongoUri implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            if (StringUtils.hasText(env.getProperty(LEGACY_URI_PROPERTY))) {
                throw new IllegalStateException(LEGACY_URI_PROPERTY + " is set, but Spring Boot 4 reads "
                        + URI_PROPERTY + " (env SPRING_MONGODB_URI). Rename it; refusing to start on the embedded store.");
            }
            return !StringUtils.hasText(env.getProperty(URI_PROPERTY));
        }
    }
}
