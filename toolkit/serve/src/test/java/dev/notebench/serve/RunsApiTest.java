package dev.notebench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each runs route's exact answer over real HTTP, on run directories written as the trainer writes
 * them; a run on another host whose heartbeat is stale reads lost, also to a server started after
 * it was last seen running.
 */
class RunsApiTest {
    private static final long ME = ProcessHandle.current().pid();

    @TempDir
    Path tmp;
    Path runs;

    @BeforeEach
    void runs() throws Exception {
        runs = tmp.resolve("runs");
        Runs.run(runs, "alpha", "2026-12-01T09:00:00Z", "completed", 29, 111L, null,
                "{\"status\": \"completed\", \"last_step\": 29, \"train_loss\": 2.4, \"best_val_loss\": 2.5, \"seconds\": 3.0}");
        Path beta = Runs.run(runs, "beta", "2026-12-01T10:00:00Z", "running", 19, 12345L, "elsewhere", null);
        Runs.append(beta.resolve("metrics.jsonl"), Runs.step(0));
        Runs.append(beta.resolve("metrics.jsonl"), "{\"type\":\"eval\",\"step\":9,\"val_loss\":3.1,\"val_ppl\":22.2,\"best\":true}");
        Runs.append(beta.resolve("metrics.jsonl"), "{\"type\":\"eval\",\"step\":19,\"val_loss\":2.9,\"val_ppl\":18.2,\"best\":true}");
        Files.writeString(beta.resolve("train.log"), "line one\nline two\nline three\n");
        Files.createDirectories(runs.resolve("not-a-run"));
    }

    private NotebenchServer server(long secondsAfterBeat) {
        return NotebenchServer.builder(runs).port(0).clock(Clock.fixed(Runs.BEAT.plusSeconds(secondsAfterBeat), ZoneOffset.UTC))
                .build().start();
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    void theRunsAreListedNewestFirstWithTheirTrueStatusAndPaged() throws Exception {
        try (NotebenchServer s = server(10)) {
            Http http = new Http(s);
            HttpResponse<String> r = http.get("/runs");
            assertEquals(200, r.statusCode());
            assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("{\"runs\":[{\"id\":\"beta\",\"status\":\"running\",\"step\":20,\"steps\":30,\"family\":\"gpt\","
                    + "\"created\":\"2026-12-01T10:00:00Z\",\"heartbeat\":\"2026-12-01T10:00:00Z\",\"best_val_loss\":2.9},"
                    + "{\"id\":\"alpha\",\"status\":\"completed\",\"step\":30,\"steps\":30,\"family\":\"gpt\","
                    + "\"created\":\"2026-12-01T09:00:00Z\",\"heartbeat\":\"2026-12-01T10:00:00Z\",\"best_val_loss\":2.5}],"
                    + "\"total\":2,\"page\":1,\"page_size\":50}", r.body());
            assertEquals("{\"runs\":[{\"id\":\"alpha\",\"status\":\"completed\",\"step\":30,\"steps\":30,\"family\":\"gpt\","
                    + "\"created\":\"2026-12-01T09:00:00Z\",\"heartbeat\":\"2026-12-01T10:00:00Z\",\"best_val_loss\":2.5}],"
                    + "\"total\":2,\"page\":2,\"page_size\":1}", http.get("/runs?page=2&page_size=1").body());
            assertEquals("{\"runs\":[],\"total\":0,\"page\":1,\"page_size\":50}", http.get("/runs?status=lost").body());
            assertEquals(1, json(http.get("/runs?status=completed")).get("total").getAsInt());
            assertEquals(r.headers().map().keySet().stream().filter(h -> h.toLowerCase().startsWith("access-control")).toList(),
                    java.util.List.of(), "no CORS");
        }
    }

    @Test
    void aRunsDetailHasItsStatusStepsHeartbeatBestLossAndHyperparameters() throws Exception {
        try (NotebenchServer s = server(10)) {
            Http http = new Http(s);
            assertEquals("{\"id\":\"beta\",\"status\":\"running\",\"message\":null,\"step\":20,\"steps\":30,"
                    + "\"heartbeat\":\"2026-12-01T10:00:00Z\",\"heartbeat_age_s\":10.0,\"pid\":12345,\"host\":\"elsewhere\","
                    + "\"checkpoint\":null,\"cancel_requested\":false,\"created\":\"2026-12-01T10:00:00Z\",\"best_val_loss\":2.9,"
                    + "\"train_loss\":null,\"hyperparameters\":{\"family\":\"gpt\",\"model\":{\"n_layer\":1,\"d_model\":32},"
                    + "\"tokenizer\":\"tok\",\"steps\":30,\"batch_size\":4,\"grad_accum\":1,\"learning_rate\":0.003,"
                    + "\"min_learning_rate\":3.0E-4,\"warmup_steps\":0,\"weight_decay\":0.1,\"grad_clip\":1.0,\"eval_every\":10,"
                    + "\"seed\":42,\"device\":\"cpu\",\"precision\":\"fp32\",\"block_size\":null}}", http.get("/runs/beta").body());
            JsonObject alpha = json(http.get("/runs/alpha"));
            assertEquals("completed", alpha.get("status").getAsString());
            assertEquals(2.4, alpha.get("train_loss").getAsDouble());
            assertEquals(2.5, alpha.get("best_val_loss").getAsDouble());
        }
    }

    @Test
    void logsMetricsAndCancelAnswerAsTheRunDirectorySays() throws Exception {
        try (NotebenchServer s = server(10)) {
            Http http = new Http(s);
            assertEquals("{\"id\":\"beta\",\"lines\":[\"line two\",\"line three\"],\"truncated\":true}",
                    http.get("/runs/beta/logs?lines=2").body());
            assertEquals("{\"id\":\"alpha\",\"lines\":[],\"truncated\":false}", http.get("/runs/alpha/logs").body());
            assertEquals("[{\"type\":\"step\",\"step\":0,\"loss\":4.0,\"lr\":0.003},{\"type\":\"eval\",\"step\":9,\"val_loss\":3.1,"
                    + "\"val_ppl\":22.2,\"best\":true},{\"type\":\"eval\",\"step\":19,\"val_loss\":2.9,\"val_ppl\":18.2,\"best\":true}]",
                    http.get("/runs/beta/metrics").body());
            HttpResponse<String> cancel = http.send("POST", "/runs/beta/cancel", null);
            assertEquals(202, cancel.statusCode());
            assertEquals("{\"id\":\"beta\",\"status\":\"running\",\"message\":\"asked to stop after its current step, with a"
                    + " checkpoint; GET /runs/beta says cancelled once it has\"}", cancel.body());
            assertTrue(Files.exists(runs.resolve("beta/cancel")));
            assertEquals(true, json(http.get("/runs/beta")).get("cancel_requested").getAsBoolean());
            HttpResponse<String> ended = http.send("POST", "/runs/alpha/cancel", "");
            assertEquals(409, ended.statusCode());
            assertEquals("{\"error\":{\"status\":409,\"code\":\"run_not_running\",\"message\":\"run 'alpha' is completed, so there"
                    + " is nothing to cancel\",\"field\":null,\"id\":null}}", ended.body());
            assertEquals("{\"status\":\"ok\"}", http.get("/healthz").body());
            assertEquals("{\"status\":\"ready\",\"runs\":2}", http.get("/readyz").body());
        }
    }

    @Test
    void aRunOnAnotherHostWhoseHeartbeatIsStaleIsLostAlsoToAServerStartedAfterIt() throws Exception {
        try (NotebenchServer before = server(60)) {
            assertEquals("running", json(new Http(before).get("/runs/beta")).get("status").getAsString());
        }
        try (NotebenchServer restarted = server(61)) {
            Http http = new Http(restarted);
            JsonObject beta = json(http.get("/runs/beta"));
            assertEquals("lost", beta.get("status").getAsString());
            assertEquals("the process that trained it (pid 12345 on host elsewhere) is gone without finishing, after step 20 of 30;"
                    + " it wrote no checkpoint; --resume " + runs.resolve("beta").toAbsolutePath() + " trains it again from the first"
                    + " step", beta.get("message").getAsString());
            assertEquals(1, json(http.get("/runs?status=lost")).get("total").getAsInt());
            assertEquals(409, http.send("POST", "/runs/beta/cancel", null).statusCode());
        }
    }

    @Test
    void aLocalRunIsRunningWhileItsProcessLivesWhateverTheClockSays() throws Exception {
        Runs.run(runs, "gamma", "2026-12-01T11:00:00Z", "running", 3, ME, null, null);
        try (NotebenchServer s = server(86_400)) {
            assertEquals("running", json(new Http(s).get("/runs/gamma")).get("status").getAsString());
        }
    }
}
