/**
 * Notifications about runs sent elsewhere: {@link dev.notebench.train.notify.WebhookNotifier}
 * posts a run's start, evaluations, checkpoints and end to a Discord, Slack or other webhook.
 */
package dev.notebench.train.notify;
