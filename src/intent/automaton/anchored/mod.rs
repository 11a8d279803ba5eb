//! The anchored form: the set's DFA for runs that start at one position, determinized ahead of time and stored as
//! sparse rows ([`table`]), searched from every start position at once ([`search`]): the runs alive after each
//! byte are a state of the unanchored DFA, built from the table the first time a text needs it and cached.

pub(crate) mod search;
pub(crate) mod table;

use super::hits::{Found, LANES};
use crate::intent::config::MatchOptions;
use crate::intent::error::SearchError;
use regex_automata::util::pool::Pool;
pub(crate) use search::Published;
use search::RunSets;
use table::AnchoredTable;

type RunSetsPool = Pool<RunSets, Box<dyn Fn() -> RunSets + Send + Sync>>;

/// An anchored DFA table and its search caches (one per thread that matches concurrently, each bounded by
/// `options.lazyCacheLimit`).
pub(crate) struct AnchoredSet {
    table: AnchoredTable,
    caches: RunSetsPool,
}

impl AnchoredSet {
    pub(crate) fn new(table: AnchoredTable, options: &MatchOptions) -> Self {
        let (columns, limit) = (table.header().columns, options.lazy_cache_limit);
        let caches: RunSetsPool = Pool::new(Box::new(move || RunSets::new(columns, limit)));
        AnchoredSet { table, caches }
    }

    pub(crate) fn table(&self) -> &AnchoredTable {
        &self.table
    }

    /// Bytes of unanchored states this thread's cache holds.
    pub(crate) fn cache_memory_usage(&self) -> usize {
        self.caches.get().memory_usage()
    }

    /// Re-places this thread's cached rows as tightly as they go, as searches do now and then.
    pub(crate) fn compact(&self) {
        let mut cache = self.caches.get();
        cache.compact();
        cache.publish();
    }

    /// Counts `searches` answered outside Rust through this thread's published cache (see
    /// [`search::RunSets::searched_elsewhere`]); the cache may compact, and publishes where its arrays are after.
    pub(crate) fn searched_elsewhere(&self, searches: usize) {
        let mut cache = self.caches.get();
        cache.searched_elsewhere(searches);
        cache.publish();
    }

    /// Adds every pattern that matches somewhere in `text` to `hits`.
    pub(crate) fn matching(&self, text: &[u8], hits: &mut impl Found) -> Result<(), SearchError> {
        let mut cache = self.caches.get();
        let result = cache.matching(&self.table, text, hits);
        cache.publish();
        result
    }

    /// Searches a batch of texts, several at a time (see [`RunSets::matching_batch`]).
    pub(crate) fn matching_batch<F: Found>(
        &self,
        texts: &[&[u8]],
        hits: &mut [F; LANES],
        done: impl FnMut(usize, &mut F),
    ) -> Result<(), (usize, SearchError)> {
        let mut cache = self.caches.get();
        let result = cache.matching_batch(&self.table, texts, hits, done);
        cache.publish();
        result
    }

    /// Where this thread's search cache keeps its arrays, published from now on after every search (see
    /// [`Published`]); the address stays the same while the set lives, in wasm (one thread) the one cache every
    /// call uses.
    pub(crate) fn published(&self) -> *const Published {
        self.caches.get().published() as *const Published
    }
}
