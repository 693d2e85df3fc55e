/**
 * Class trees arranged by meaning: read a tree ({@link dev.notebench.embed.hierarchy.Trees}),
 * embed its nodes in parallel and order each node's children by similarity
 * ({@link dev.notebench.embed.hierarchy.Arranger}).
 */
package dev.notebench.embed.hierarchy;
