package org.trustledger.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

/** {@code trustledger.embedded.cache-size}: how it is read, refused, and handed to the store's file. */
class EmbeddedCacheSizeTest {

    @TempDir
    Path dataDir;

    private static TrustLedgerProperties bind(Map<String, String> settings) {
        Binder binder = new Binder(java.util.List.of(new MapConfigurationPropertySource(settings)), null,
                ApplicationConversionService.getSharedInstance());
        return binder.bindOrCreate("trustledger", TrustLedgerProperties.class);
    }

    private static long cacheMb(Map<String, String> settings) {
        return bind(settings).embedded().cacheSize().toMegabytes();
    }

    @Test
    void unset_it_is_256_megabytes_and_a_plain_number_is_megabytes() {
        assertThat(EmbeddedMongo.DEFAULT_CACHE_MB).isEqualTo(256);
        assertThat(cacheMb(Map.of())).isEqualTo(EmbeddedMongo.DEFAULT_CACHE_MB);
        assertThat(cacheMb(Map.of("trustledger.embedded.storage", "file"))).isEqualTo(EmbeddedMongo.DEFAULT_CACHE_MB);
        assertThat(cacheMb(Map.of("trustledger.embedded.cache-size", "512"))).isEqualTo(512);
        assertThat(cacheMb(Map.of("trustledger.embedded.cache-size", "2GB"))).isEqualTo(2048);
        assertThat(cacheMb(Map.of("trustledger.embedded.cache-size", "64MB"))).isEqualTo(64);
    }

    @Test
    void a_size_under_a_megabyte_or_not_a_size_is_refused_naming_the_setting() {
        for (String bad : new String[] {"0", "512KB", "-5", "lots"}) {
            assertThatThrownBy(() -> cacheMb(Map.of("trustledger.embedded.cache-size", bad)))
                    .as(bad)
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("trustledger.embedded");
        }
        assertThatThrownBy(() -> cacheMb(Map.of("trustledger.embedded.cache-size", "0")))
                .rootCause().hasMessageContaining("trustledger.embedded.cache-size must be between 1MB");
    }

    @Test
    void the_store_file_gets_the_size_asked_for_and_an_eighth_of_it_for_its_chunk_tables() throws Exception {
        try (MVStore store = EmbeddedMongo.open(dataDir.resolve("small"), 64)) {
            assertThat(store.getCacheSize()).isEqualTo(64);
            assertThat(((SparseChunkFileStore) store.getFileStore()).tocCacheBytes()).isEqualTo(8L << 20);
        }
        try (MVStore store = EmbeddedMongo.open(dataDir.resolve("default"))) {
            assertThat(store.getCacheSize()).isEqualTo(EmbeddedMongo.DEFAULT_CACHE_MB);
            assertThat(((SparseChunkFileStore) store.getFileStore()).tocCacheBytes()).isEqualTo(32L << 20);
        }
        try (MVStore store = EmbeddedMongo.open(dataDir.resolve("tiny"), 1)) {
            assertThat(((SparseChunkFileStore) store.getFileStore()).tocCacheBytes()).isEqualTo(1L << 20);
        }
        assertThatThrownBy(() -> EmbeddedMongo.open(dataDir.resolve("none"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 MB");
    }
}
