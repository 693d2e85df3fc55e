/**
 * SQLite files that many threads and processes share: one place for how they are opened (WAL,
 * synchronous NORMAL, a busy timeout, reads through a memory map), how writers take the lock and
 * wait for each other, and what a user is told when a file is locked, damaged or not writable
 * ({@link dev.notebench.sqlite.SqliteStore}). The embedding cache and the response cache are built
 * on it. Only {@code java.sql} is used here: the module that opens a store brings the driver.
 */
package dev.notebench.sqlite;
