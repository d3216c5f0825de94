package org.trustledger.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

/** The sole writer's aggregate cache: bounded, least recently used out first, listeners told. */
class BoundedAggregateCacheTest {

    @Test
    void holds_at_most_its_capacity_and_evicts_the_least_recently_used() {
        BoundedAggregateCache cache = new BoundedAggregateCache(3);
        List<String> events = new ArrayList<>();
        Registration registration = cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryExpired(Object key) {
                events.add("expired " + key);
            }

            @Override
            public void onEntryRemoved(Object key) {
                events.add("removed " + key);
            }

            @Override
            public void onEntryCreated(Object key, Object value) {
                events.add("created " + key);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                events.add("updated " + key);
            }
        });
        cache.put("a", 1);
        cache.put("b", 2);
        cache.put("c", 3);
        assertThat((Integer) cache.get("a")).isEqualTo(1); // a is now the most recently used
        cache.put("d", 4);
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.putIfAbsent("a", 10)).isFalse();
        assertThat((Integer) cache.get("a")).isEqualTo(1);
        cache.put("a", 11);
        assertThat(cache.remove("c")).isTrue();
        assertThat(cache.remove("c")).isFalse();
        assertThat(cache.<String, Object>get("c")).isNull();
        assertThat(events).containsExactly("created a", "created b", "created c", "expired b", "created d",
                "updated a", "removed c");
        registration.cancel();
        cache.removeAll();
        assertThat(cache.size()).isZero();
        assertThat(events).hasSize(7);
    }

    @Test
    void once_this_process_is_no_longer_the_sole_writer_nothing_is_held() {
        java.util.concurrent.atomic.AtomicBoolean sole = new java.util.concurrent.atomic.AtomicBoolean(true);
        BoundedAggregateCache cache = new BoundedAggregateCache(10, sole::get);
        cache.put("a", 1);
        assertThat((Integer) cache.get("a")).isEqualTo(1);
        sole.set(false);
        assertThat(cache.<String, Object>get("a")).isNull();
        assertThat(cache.containsKey("a")).isFalse();
        cache.put("b", 2);
        assertThat(cache.putIfAbsent("c", 3)).isFalse();
        assertThat(cache.size()).isZero();
    }

    @Test
    void a_cache_holds_at_least_one_aggregate() {
        assertThatThrownBy(() -> new BoundedAggregateCache(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }
}
