/**
 * Finding a pretrained model by name: the Hugging Face cache as {@code huggingface_hub} lays it out
 * ({@link dev.notebench.hub.HfCache}), downloads from the hub into it
 * ({@link dev.notebench.hub.HubDownloader}), and the one entry point that takes a directory or
 * {@code org/name[@revision]} ({@link dev.notebench.hub.ModelResolver}). Settings come in from the
 * edge ({@link dev.notebench.hub.HubSettings#fromEnvironment}); nothing here reads the environment.
 */
package dev.notebench.hub;
