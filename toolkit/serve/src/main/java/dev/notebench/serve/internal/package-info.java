/**
 * The server's insides: the route table ({@link dev.notebench.serve.internal.Route},
 * {@link dev.notebench.serve.internal.Router}), the one mapping of records to JSON and to JSON
 * Schema ({@link dev.notebench.serve.internal.Json}), the OpenAPI document built from both, the
 * errors, and the shared file followers behind the server-sent event streams. Not an API.
 */
package dev.notebench.serve.internal;
