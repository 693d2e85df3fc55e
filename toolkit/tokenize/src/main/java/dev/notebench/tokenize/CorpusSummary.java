package dev.notebench.tokenize;

/**
 * What a training run read.
 *
 * @param files files read
 * @param bytes bytes read
 * @param lines lines read
 * @param trainLines lines trained on
 * @param holdoutLines lines held out
 * @param distinctWords distinct pre-tokenized words counted
 * @param sha256 the corpus fingerprint: SHA-256 over each file's name and bytes, in order
 */
public record CorpusSummary(int files, long bytes, long lines, long trainLines, long holdoutLines,
                            long distinctWords, String sha256) {
}
