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

    /** @param cacheSizeMb the page cache, in MB */
    SparseChunkFileStore(int cacheSizeMb) {
        super(config(cacheSizeMb));
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
