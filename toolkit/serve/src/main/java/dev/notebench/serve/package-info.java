/**
 * {@code notebench serve}: an HTTP API over runs, with live metrics and logs as server-sent
 * events ({@link dev.notebench.serve.NotebenchServer}, options in
 * {@link dev.notebench.serve.ServeOptions}, the typed bodies in {@code dev.notebench.serve.api}).
 *
 * <p>Why Jetty 12 ({@code org.eclipse.jetty:jetty-server}, its core {@code Handler} API, no
 * servlets): it is kept by the Eclipse Foundation with frequent releases and security fixes; it
 * runs on Java 17, the project's release, and puts blocking handlers on virtual threads when the
 * JVM has them (21+, through Jetty's own {@code VirtualThreads} check, no reflection of ours); it
 * is small (server, http, io and util: about 2.3 MB, no other dependency but SLF4J's API, which
 * the project has); and it streams responses (server-sent events) with back-pressure. Helidon 4
 * needs Java 21, Javalin brings Kotlin's standard library, and the JDK's {@code HttpServer} has no
 * request limits, streaming back-pressure or virtual threads of its own.
 *
 * <p>The API is one route table ({@code internal.Route}): each route declares its method, path,
 * query parameters (as {@link dev.notebench.options.Option}s), request and response records; the
 * router serves it and the OpenAPI document is generated from the same declarations and records,
 * so the two cannot drift. Tokenizers, starting runs, evaluation, generation, scoring, artifacts
 * and the dashboard come as more routes beside {@code internal.RunsRoutes}.
 *
 * <pre>{@code
 * try (NotebenchServer s = NotebenchServer.builder(Path.of("runs")).build().start()) {
 *     s.join(); // curl http://127.0.0.1:8700/runs
 * }
 * }</pre>
 */
package dev.notebench.serve;
