package dev.notebench.spark;

import dev.notebench.progress.Progress;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.JobSucceeded$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark jobs' progress as Notebench {@link Progress}: a {@link SparkListener} that shows each job
 * as one bar (one {@link Progress} from the given supplier, opened when the job starts and closed
 * when it ends), counting the tasks done of the tasks of all the job's stages. A task counts once
 * per partition when it succeeds (a retried or speculative attempt does not count twice); the tasks
 * of a stage that Spark skips (its output was computed by an earlier job) count as done when the
 * job ends, and the bar's note says how many were skipped.
 *
 * <p>Closing removes the listener from the context. In a notebook each job's bar appears under
 * the cell that runs it:
 *
 * <pre>{@code
 * SparkProgress bars = SparkProgress.attach(spark.sparkContext(), () -> new NotebookProgress(notebook()));
 * ...
 * bars.close();
 * }</pre>
 */
public final class SparkProgress implements AutoCloseable {
    private final SparkContext context;
    private final Listener listener;

    private SparkProgress(SparkContext context, Supplier<? extends Progress> perJob) {
        this.context = context;
        this.listener = new Listener(perJob);
    }

    /**
     * Reports every job of a context from now on until {@link #close()}.
     *
     * @param context the session's context, {@code spark.sparkContext()}
     * @param perJob opens the progress of one job; called on Spark's listener thread when the job starts
     * @return the attached listener; close it to stop reporting
     */
    public static SparkProgress attach(SparkContext context, Supplier<? extends Progress> perJob) {
        SparkProgress p = new SparkProgress(Objects.requireNonNull(context, "context"), Objects.requireNonNull(perJob, "perJob"));
        context.addSparkListener(p.listener);
        return p;
    }

    /** Removes the listener; the bars of jobs still running stay as they are drawn. */
    @Override
    public void close() {
        context.removeSparkListener(listener);
    }

    /** One running job: its bar, its stages' task counts and the partitions done per stage. */
    private static final class Job {
        final Progress progress;
        final Map<Integer, Integer> tasksOfStage;
        final Map<Integer, Set<Integer>> done = new ConcurrentHashMap<>();

        Job(Progress progress, Map<Integer, Integer> tasksOfStage) {
            this.progress = progress;
            this.tasksOfStage = tasksOfStage;
        }
    }

    /** Spark calls it on its one listener-bus thread, in the order the events happened. */
    private static final class Listener extends SparkListener {
        private final Supplier<? extends Progress> perJob;
        private final Map<Integer, Job> jobs = new ConcurrentHashMap<>();
        private final Map<Integer, Job> jobOfStage = new ConcurrentHashMap<>();

        Listener(Supplier<? extends Progress> perJob) {
            this.perJob = perJob;
        }

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            Map<Integer, Integer> tasks = new ConcurrentHashMap<>();
            long total = 0;
            for (StageInfo s : CollectionConverters.asJava(start.stageInfos())) {
                tasks.put(s.stageId(), s.numTasks());
                total += s.numTasks();
            }
            Job job = new Job(perJob.get(), tasks);
            jobs.put(start.jobId(), job);
            tasks.keySet().forEach(stage -> jobOfStage.put(stage, job));
            job.progress.stage("Spark job " + start.jobId() + describe(start), total, "tasks");
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
            Job job = jobOfStage.get(submitted.stageInfo().stageId());
            if (job != null) {
                job.done.computeIfAbsent(submitted.stageInfo().stageId(), s -> ConcurrentHashMap.newKeySet());
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            Job job = jobOfStage.get(end.stageId());
            if (job != null && end.reason() == Success$.MODULE$
                    && job.done.computeIfAbsent(end.stageId(), s -> ConcurrentHashMap.newKeySet()).add(end.taskInfo().index())) {
                job.progress.advance(1);
            }
        }

        @Override
        public void onJobEnd(SparkListenerJobEnd end) {
            Job job = jobs.remove(end.jobId());
            if (job == null) {
                return;
            }
            job.tasksOfStage.keySet().forEach(jobOfStage::remove);
            Set<Integer> skipped = new HashSet<>(job.tasksOfStage.keySet());
            skipped.removeAll(job.done.keySet());
            if (!(end.jobResult() instanceof JobSucceeded$)) {
                job.progress.note("failed");
            } else if (!skipped.isEmpty()) {
                long tasks = skipped.stream().mapToLong(job.tasksOfStage::get).sum();
                job.progress.note("(" + tasks + " tasks of " + skipped.size() + (skipped.size() == 1 ? " stage" : " stages")
                        + " skipped: computed before)");
                job.progress.advance(tasks);
            }
            job.progress.close();
        }

        private static String describe(SparkListenerJobStart start) {
            String d = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
            if (d == null) {
                // the job's last stage (the highest id) is the action, as Spark's UI names jobs
                d = CollectionConverters.asJava(start.stageInfos()).stream().max(Comparator.comparingInt(StageInfo::stageId))
                        .map(StageInfo::name).orElse(null);
            }
            return d == null || d.isBlank() ? "" : " (" + d.strip() + ")";
        }
    }
}
