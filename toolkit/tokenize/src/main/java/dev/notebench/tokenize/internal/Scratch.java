package dev.notebench.tokenize.internal;

/** One thread's working space for encoding: the ids so far, merge arrays and the piece cache. */
final class Scratch implements Gpt2Splitter.Sink {
    /** Pieces one thread remembers (each a few dozen bytes): bounded memory per thread. */
    static final int CACHE_PIECES = 1 << 16;

    final IntList out = new IntList(1024);
    final PieceCache cache = new PieceCache(CACHE_PIECES);
    private final MergeTable table;
    private int[] ids = new int[64];
    private int[] ranks = new int[64];

    Scratch(MergeTable table) {
        this.table = table;
    }

    @Override
    public void word(byte[] bytes, int from, int to) {
        table.encode(bytes, from, to, this);
    }

    int[] ids(int n) {
        if (ids.length < n) {
            ids = new int[n];
        }
        return ids;
    }

    int[] ranks(int n) {
        if (ranks.length < n) {
            ranks = new int[n];
        }
        return ranks;
    }
}
