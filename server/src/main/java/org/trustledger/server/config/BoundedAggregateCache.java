package org.trustledger.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Axon's aggregate cache for the store's sole writer: the {@code capacity} aggregates used most recently,
 * evicted least recently used first. Safe only while no other process appends to the store (the
 * embedded default, whose file this process locks, while no other process connects to it): a cached
 * aggregate does not see other writers' events. Axon evicts an aggregate whose command rolled back, so a
 * failed command leaves no trace here.
 */
final class BoundedAggregateCache implements Cache {

    private final Map<Object, Object> entries;
    private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();
    private final BooleanSupplier soleWriter;

    BoundedAggregateCache(int capacity) {
        this(capacity, () -> true);
    }

    /**
     * A cache that holds aggregates only while {@code soleWriter} says this process is the store's only
     * writer; once it says otherwise, everything held is dropped and nothing is held again.
     */
    BoundedAggregateCache(int capacity, BooleanSupplier soleWriter) {
        if (capacity < 1) {
            throw new IllegalArgumentException("An aggregate cache holds at least one aggregate, not " + capacity);
        }
        this.soleWriter = soleWriter;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                tell(l -> l.onEntryExpired(eldest.getKey()));
                return true;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        if (!current()) {
            return null;
        }
        Object value = entries.get(key);
        if (value != null) {
            tell(l -> l.onEntryRead(key, value));
        }
        return (V) value;
    }

    @Override
    public synchronized void put(Object key, Object value) {
        if (value == null || !current()) {
            remove(key);
            return;
        }
        boolean existed = entries.put(key, value) != null;
        tell(l -> {
            if (existed) {
                l.onEntryUpdated(key, value);
            } else {
                l.onEntryCreated(key, value);
            }
        });
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        if (!current() || entries.containsKey(key)) {
            return false;
        }
        put(key, value);
        return true;
    }

    @Override
    public synchronized boolean remove(Object key) {
        if (entries.remove(key) == null) {
            return false;
        }
        tell(l -> l.onEntryRemoved(key));
        return true;
    }

    @Override
    public synchronized void removeAll() {
        List<Object> keys = List.copyOf(entries.keySet());
        entries.clear();
        keys.forEach(key -> tell(l -> l.onEntryRemoved(key)));
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return current() && entries.containsKey(key);
    }

    /** Whether what it holds can still be trusted; drops it all when not. */
    private boolean current() {
        if (soleWriter.getAsBoolean()) {
            return true;
        }
        if (!entries.isEmpty()) {
            removeAll();
        }
        return false;
    }

    /** How many aggregates it holds. */
    synchronized int size() {
        return entries.size();
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void tell(Consumer<EntryListener> event) {
        for (EntryListener listener : listeners) {
            event.accept(listener);
        }
    }
}
