package org.trustledger.server.config;

import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.SingleFileStore;

/**
 * H2's single-file store, with the compaction step that H2's own background writer takes (that writer
 * is off here: see {@link EmbeddedMongo#open}). {@link org.h2.mvstore.MVStore#compact(int, int)}, the
 * public way in, takes every chunk as a candidate and prefers the oldest: under a write load of hundreds
 * of commits a second the oldest chunks were the big, nearly full ones, so each step moved up to its
 * whole allowance of live pages to free little space, and the chunks' fill rate did not rise (it fell
 * from 45 to 41 % in one step). This takes only the chunks at or below the average fill rate of the
 * chunks it could rewrite, as H2's background writer does under load.
 */
final class SparseChunkFileStore extends SingleFileStore {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SparseChunkFileStore.class);

    /** @param cacheSizeMb the page cache, in MB */
    SparseChunkFileStore(int cacheSizeMb) {
        super(config(cacheSizeMb));
        enlargeTocCache(Math.max(1L, cacheSizeMb / 8L) << 20);
    }

    /**
     * Gives the cache of the chunks' tables of contents (each page's place in its chunk, 8 bytes a page)
     * {@code bytes}, an eighth of the page cache, instead of H2's fixed 1 MB. H2 reads a chunk's table
     * whenever it frees a page it has not loaded: dropping a collection frees every leaf of its maps that
     * way (a projection's reset at each rebuild), and with the tables of a store's chunks past 1 MB each
     * such page read its chunk's table from the file again: a rebuild of a store of 130,595 events spent
     * 1.5 to 5.7 s dropping the projections' collections before it could start, then 0.05 to 0.16 s
     * (bench/README.md). H2 has no setting for it, so the field is replaced; should that fail (another
     * H2), H2's own cache stays, with a warning.
     */
    private void enlargeTocCache(long bytes) {
        try {
            org.h2.mvstore.cache.CacheLongKeyLIRS.Config config = new org.h2.mvstore.cache.CacheLongKeyLIRS.Config();
            config.maxMemory = bytes;
            tocCacheField().set(this, new org.h2.mvstore.cache.CacheLongKeyLIRS<long[]>(config));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("The embedded store keeps H2's 1 MB cache of chunk tables: {}", e.toString());
        }
    }

    /** The most H2's cache of chunk tables holds now, in bytes. */
    long tocCacheBytes() throws ReflectiveOperationException {
        return ((org.h2.mvstore.cache.CacheLongKeyLIRS<?>) tocCacheField().get(this)).getMaxMemory();
    }

    private static java.lang.reflect.Field tocCacheField() throws NoSuchFieldException {
        java.lang.reflect.Field field = org.h2.mvstore.FileStore.class.getDeclaredField("chunksToC");
        field.setAccessible(true);
        return field;
    }

    private static Map<String, Object> config(int cacheSizeMb) {
        Map<String, Object> config = new HashMap<>();
        config.put("cacheSize", cacheSizeMb);
        return config;
    }

    private volatile Runnable snapshotTaken = () -> { };

    /**
     * Runs {@code action} on the committing thread each time a commit has taken its snapshot of the maps
     * (the roots it writes) and is about to write them: H2 takes a buffer for the new chunk right after.
     * In H2 2.3.232 only {@code FileStore.serializeAndStore} takes one, once per commit, after the roots
     * are taken ({@code MVStore.collectChangedMapRoots}); an upgrade of H2 must check that this still holds.
     */
    void onSnapshotTaken(Runnable action) {
        snapshotTaken = java.util.Objects.requireNonNull(action);
    }

    @Override
    public org.h2.mvstore.WriteBuffer getWriteBuffer() {
        snapshotTaken.run();
        return super.getWriteBuffer();
    }

    /**
     * Rewrites the live pages of chunks no fuller than the rewritable chunks are on average, at most about
     * {@code writeLimit} bytes of them, in memory: the next commit writes them to a new chunk, and the
     * chunks they came from become free. Holds the store's lock, as H2's own compaction does, so no
     * commit runs meanwhile; commands may.
     *
     * @return whether any page was rewritten
     */
    boolean rewriteSparseChunks(int writeLimit) {
        if (!hasPersistentData()) {
            return false;
        }
        int fillRate = rewritableChunksFillRate();
        boolean[] rewritten = {false};
        getMvStore().executeFilestoreOperation(() -> {
            rewritten[0] = rewriteChunks(writeLimit, fillRate);
            dropUnusedChunks();
        });
        return rewritten[0];
    }

    /**
     * The fill rate of the chunks that can be rewritten (partly live, not pinned): H2's own measure for
     * choosing, which it publishes only among its store's figures. The fill rate of all chunks also
     * counts chunks wholly dead, at 0 %, that H2 frees a few commits later: taken as the bar, it left no
     * rewritable chunk under it (27 % against 49 %), and a step moved nothing.
     */
    int rewritableChunksFillRate() {
        int[] fillRate = {100};
        populateInfo((name, value) -> {
            if (name.equals("info.CHUNKS_FILL_RATE_RW")) {
                fillRate[0] = Integer.parseInt(value);
            }
        });
        return fillRate[0];
    }
}
