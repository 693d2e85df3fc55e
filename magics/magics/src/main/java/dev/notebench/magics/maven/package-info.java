/**
 * Resolving Maven artifacts with their dependencies, for {@code %maven}, with Maven Resolver
 * ({@link dev.notebench.magics.maven.ArtifactResolver}).
 */
package dev.notebench.magics.maven;
