/**
 * The typed requests and responses of {@code notebench serve}'s HTTP API: plain records, written
 * to JSON with snake_case names and described in {@code /openapi.json} by the same reflection
 * (the server's {@code internal.Json}), so the document cannot drift from what is served.
 *
 * <pre>{@code
 * GET /runs/gpt-sotu   ->  RunDetail {"id": "gpt-sotu", "status": "running", "step": 58, "steps": 100, ...}
 * }</pre>
 */
package dev.notebench.serve.api;
