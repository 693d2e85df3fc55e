package dev.notebench.spark;

import dev.notebench.progress.Progress;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.JobSucceeded$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark jobs' progress as Notebench {@link Progress}: a {@link SparkListener} that shows each query
 * as one bar (one {@link Progress} from the given supplier, opened when its first job starts and
 * closed when it ends). A query is a DataFrame action, whose jobs (one per stage that adaptive
 * execution plans) all count on its bar until the query ends, or a job of its own for RDD actions.
 * The bar counts the tasks done of the tasks of all the stages of its jobs. A task counts once per
 * partition when it succeeds (a retried or speculative attempt does not count twice); the tasks of
 * a stage that Spark skips (its output was computed before) count as done when its job ends, and
 * the bar's note says how many were skipped.
 *
 * <p>Closing removes the listener from the context. In a notebook each query's bar appears under
 * the cell that runs it:
 *
 * <pre>{@code
 * SparkProgress bars = SparkProgress.attach(spark.sparkContext(), () -> new NotebookProgress(notebook()));
 * ...
 * bars.close();
 * }</pre>
 */
public final class SparkProgress implements AutoCloseable {
    /** The local property by which Spark tells which DataFrame query a job runs for. */
    private static final String ROOT_EXECUTION = "spark.sql.execution.root.id";
    private static final String EXECUTION = "spark.sql.execution.id";

    private final SparkContext context;
    private final Listener listener;

    private SparkProgress(SparkContext context, Supplier<? extends Progress> perQuery) {
        this.context = context;
        this.listener = new Listener(perQuery);
    }

    /**
     * Reports every query of a context from now on until {@link #close()}.
     *
     * @param context the session's context, {@code spark.sparkContext()}
     * @param perQuery opens the progress of one query; called on Spark's listener thread when its first job starts
     * @return the attached listener; close it to stop reporting
     */
    public static SparkProgress attach(SparkContext context, Supplier<? extends Progress> perQuery) {
        SparkProgress p = new SparkProgress(Objects.requireNonNull(context, "context"), Objects.requireNonNull(perQuery, "perQuery"));
        context.addSparkListener(p.listener);
        return p;
    }

    /** Removes the listener; the bars of queries still running stay as they are drawn. */
    @Override
    public void close() {
        context.removeSparkListener(listener);
    }

    /** One bar: the jobs of a query (or one job), their stages' task counts and the partitions done per stage. */
    private static final class Bar {
        final Progress progress;
        final String name;
        final Set<Integer> jobs = new HashSet<>();
        final Map<Integer, Integer> tasksOfStage = new HashMap<>();
        final Map<Integer, Set<Integer>> done = new HashMap<>();
        long total;
        long counted;
        long skipped;
        int skippedStages;
        boolean failed;

        Bar(Progress progress, String name) {
            this.progress = progress;
            this.name = name;
        }
    }

    /** Spark calls it on one listener-bus thread, in the order the events happened. */
    private static final class Listener extends SparkListener {
        private final Supplier<? extends Progress> perQuery;
        private final Map<String, Bar> bars = new HashMap<>();
        private final Map<Integer, String> barOfJob = new HashMap<>();
        private final Map<Integer, Bar> barOfStage = new HashMap<>();
        private final Map<Integer, List<Integer>> stagesOfJob = new HashMap<>();
        /** What each running query is, as Spark's UI names it: the call site of its action. */
        private final Map<String, String> queries = new HashMap<>();

        Listener(Supplier<? extends Progress> perQuery) {
            this.perQuery = perQuery;
        }

        @Override
        public synchronized void onJobStart(SparkListenerJobStart start) {
            String query = query(start.properties());
            String key = query != null ? query : "job " + start.jobId();
            Bar bar = bars.computeIfAbsent(key, k -> new Bar(perQuery.get(), query != null
                    ? "Spark query " + query + queries.getOrDefault(query, describe(start)) : "Spark job " + start.jobId() + describe(start)));
            bar.jobs.add(start.jobId());
            barOfJob.put(start.jobId(), key);
            stagesOfJob.put(start.jobId(), CollectionConverters.asJava(start.stageInfos()).stream().map(StageInfo::stageId).toList());
            for (StageInfo s : CollectionConverters.asJava(start.stageInfos())) {
                if (bar.tasksOfStage.putIfAbsent(s.stageId(), s.numTasks()) == null) {
                    bar.total += s.numTasks();
                }
                barOfStage.put(s.stageId(), bar);
            }
            bar.progress.stage(bar.name, bar.total, "tasks", bar.counted);
        }

        @Override
        public synchronized void onStageSubmitted(SparkListenerStageSubmitted submitted) {
            Bar bar = barOfStage.get(submitted.stageInfo().stageId());
            if (bar != null) {
                bar.done.computeIfAbsent(submitted.stageInfo().stageId(), s -> new HashSet<>());
            }
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
            Bar bar = barOfStage.get(end.stageId());
            if (bar != null && end.reason() == Success$.MODULE$
                    && bar.done.computeIfAbsent(end.stageId(), s -> new HashSet<>()).add(end.taskInfo().index())) {
                bar.counted++;
                bar.progress.advance(1);
            }
        }

        @Override
        public synchronized void onJobEnd(SparkListenerJobEnd end) {
            String key = barOfJob.remove(end.jobId());
            List<Integer> stages = stagesOfJob.remove(end.jobId());
            Bar bar = key == null ? null : bars.get(key);
            if (bar == null) {
                return;
            }
            bar.jobs.remove(end.jobId());
            bar.failed |= !(end.jobResult() instanceof JobSucceeded$);
            // a stage of this job never submitted by the time it ends was skipped
            for (int stage : stages) {
                if (!bar.failed && !bar.done.containsKey(stage)) {
                    int tasks = bar.tasksOfStage.get(stage);
                    bar.done.put(stage, Set.of());
                    bar.skipped += tasks;
                    bar.skippedStages++;
                    bar.counted += tasks;
                    bar.progress.advance(tasks);
                }
            }
            if (bar.skipped > 0) {
                bar.progress.note("(" + bar.skipped + " tasks of " + bar.skippedStages + (bar.skippedStages == 1 ? " stage" : " stages")
                        + " skipped: computed before)");
            }
            if (key.startsWith("job ")) {
                close(key);
            }
        }

        @Override
        public synchronized void onOtherEvent(SparkListenerEvent event) {
            if (event instanceof SparkListenerSQLExecutionStart start && start.description() != null && !start.description().isBlank()) {
                queries.put(Long.toString(start.executionId()), " (" + start.description().strip() + ")");
            } else if (event instanceof SparkListenerSQLExecutionEnd end) {
                queries.remove(Long.toString(end.executionId()));
                close(Long.toString(end.executionId()));
            }
        }

        private void close(String key) {
            Bar bar = bars.remove(key);
            if (bar == null) {
                return;
            }
            bar.tasksOfStage.keySet().forEach(barOfStage::remove);
            bar.jobs.forEach(job -> {
                barOfJob.remove(job);
                stagesOfJob.remove(job);
            });
            if (bar.failed) {
                bar.progress.note("failed");
            }
            bar.progress.close();
        }

        /** The DataFrame query (its root, for the queries a query runs) that a job runs for, or null. */
        private static String query(Properties properties) {
            if (properties == null) {
                return null;
            }
            String root = properties.getProperty(ROOT_EXECUTION);
            return root != null ? root : properties.getProperty(EXECUTION);
        }

        /** What Spark's UI calls the job: the user's description, else the action's call site, else the last stage's name. */
        private static String describe(SparkListenerJobStart start) {
            Properties p = start.properties();
            String d = p == null ? null : p.getProperty("spark.job.description");
            if (d == null && p != null) {
                d = p.getProperty("callSite.short");
            }
            if (d == null) {
                d = CollectionConverters.asJava(start.stageInfos()).stream().max(Comparator.comparingInt(StageInfo::stageId))
                        .map(StageInfo::name).orElse(null);
            }
            return d == null || d.isBlank() ? "" : " (" + d.strip() + ")";
        }
    }
}
