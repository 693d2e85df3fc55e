/**
 * OkHttp interceptors for model APIs (chat completions, embeddings): the API key from an
 * environment variable ({@link dev.notebench.http.ApiKey}), retries with {@code Retry-After} and
 * jittered exponential backoff ({@link dev.notebench.http.RetryInterceptor}), adaptive concurrency
 * that backs off on 429 ({@link dev.notebench.http.AdaptiveConcurrency}), request and token rate
 * limits ({@link dev.notebench.http.RateLimiter}), and counters ({@link dev.notebench.http.CallStats}).
 */
package dev.notebench.http;
