package dev.notebench;

/**
 * What went wrong, as a stable code that logs, manifests and scripts can match on.
 *
 * <p>Each code belongs to one kind of failure and says who can fix it. Messages carry the
 * specifics; the code never changes meaning between releases.
 */
public enum ErrorCode {
    /** A file, directory, dataset or run that was named does not exist. */
    DATA_NOT_FOUND,
    /** Input data exists but cannot be used as given (empty, malformed, wrong encoding). */
    DATA_INVALID,
    /** A configuration value, option or magic argument is missing or out of range. */
    CONFIG_INVALID,
    /** Training a tokenizer failed. */
    TOKENIZER_TRAIN_FAILED,
    /** Training or evaluating a model failed. */
    MODEL_TRAIN_FAILED,
    /** A remote or local model provider failed or answered garbage. */
    PROVIDER_FAILED,
    /** A persistent cache holds data that does not match what was written. */
    CACHE_CORRUPT,
    /** A shared cache stayed locked by other writers for longer than its busy timeout. */
    CACHE_LOCKED,
    /**
     * A file or directory exists but this user may not read or write it (permissions, a read-only
     * directory or file system). The message names the path; the fix is the permission or another path.
     */
    ACCESS_DENIED,
    /** The process ran out of a resource it was given (Java heap, native memory); the message names the setting to raise. */
    OUT_OF_MEMORY,
    /** A dependency (artifact, native library, external program) could not be resolved. */
    DEPENDENCY_MISSING,
    /** The Jupyter kernel or its installation failed. */
    KERNEL_FAILED,
    /** The user or the kernel cancelled the work. */
    CANCELLED,
    /** A failure that is a bug in Notebench; please report it. */
    INTERNAL
}
