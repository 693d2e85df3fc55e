package dev.notebench.enrich;

import dev.notebench.progress.Progress;
import java.nio.file.Path;
import java.util.List;

/** A separate JVM enriching a CSV through a chat server, for the crash test: {@code BASE_URL IN OUT [resume]}. */
public final class EnrichChild {
    private EnrichChild() {
    }

    public static void main(String[] args) {
        EnrichJob job = EnrichJob.builder().input(Path.of(args[1])).output(Path.of(args[2])).text(List.of("subject"))
                .labels(List.of("spam", "question"), false, null).packing(5, 0).workers(3)
                .journal(args.length > 3 && args[3].equals("resume"), false)
                .annotator(AnnotatorOptions.builder("openai").baseUrl(args[0]).model("fake-model"))
                .build();
        EnrichJob.Outcome o = job.run(Progress.NONE, EnrichChild.class.getClassLoader());
        System.out.println("done " + o.result().summary());
    }
}
