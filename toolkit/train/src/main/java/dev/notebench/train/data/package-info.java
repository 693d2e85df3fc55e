/**
 * Training data: a corpus encoded once into a memory-mapped token file with a train/validation
 * split ({@link dev.notebench.train.data.TokenFile}), and the seeded windows drawn from it
 * ({@link dev.notebench.train.data.Windows}).
 */
package dev.notebench.train.data;
