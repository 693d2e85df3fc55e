/**
 * Small helpers the toolkit's modules share, so that each exists once: a SHA-256 hasher
 * ({@link dev.notebench.internal.Sha256}), an unboxed long-to-int map
 * ({@link dev.notebench.internal.LongIntMap}), the HTTP {@code Retry-After} parser
 * ({@link dev.notebench.internal.RetryAfter}) and the wording of range checks
 * ({@link dev.notebench.internal.Ranges}). Not API: as in OkHttp's {@code okhttp3.internal},
 * these are public only so that other Notebench modules can use them, and may change without notice.
 */
package dev.notebench.internal;
