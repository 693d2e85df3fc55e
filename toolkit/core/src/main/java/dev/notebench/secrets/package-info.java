/**
 * Secrets the process knows (API keys, request headers' values, webhook URLs) and how text from
 * outside is cleaned of them before it is stored or shown: {@link dev.notebench.secrets.Secrets}.
 */
package dev.notebench.secrets;
