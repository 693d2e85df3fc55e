package dev.notebench.serve.api;

import java.util.List;

/**
 * {@code GET /runs}: one page of runs, newest first.
 *
 * @param runs the runs of this page
 * @param total how many runs match the filter, on all pages
 * @param page this page's number, from 1
 * @param pageSize the most runs a page holds
 */
public record RunPage(List<RunSummary> runs, int total, int page, int pageSize) {
}
