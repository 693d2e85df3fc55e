package dev.notebench.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.notebench.train.lora.LoraConfig;
import dev.notebench.train.model.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link TrainConfig} to and from the JSON of run manifests. */
final class ConfigJson {
    private ConfigJson() {
    }

    static Map<String, Object> toMap(TrainConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", c.model().family());
        m.put("model", c.model().values());
        m.put("tokenizer", c.tokenizer().toString());
        m.put("corpus", c.corpus());
        m.put("runs_dir", c.runsDir().toString());
        m.put("run_id", c.runId());
        m.put("val_fraction", c.valFraction());
        m.put("batch_size", c.batchSize());
        m.put("grad_accum", c.gradAccum());
        m.put("steps", c.steps());
        m.put("learning_rate", c.learningRate());
        m.put("min_learning_rate", c.minLearningRate());
        m.put("warmup_steps", c.warmupSteps());
        m.put("weight_decay", c.weightDecay());
        m.put("beta1", c.beta1());
        m.put("beta2", c.beta2());
        m.put("eps", c.eps());
        m.put("grad_clip", c.gradClip());
        m.put("eval_every", c.evalEvery());
        m.put("eval_batches", c.evalBatches());
        m.put("checkpoint_every", c.checkpointEvery());
        m.put("patience", c.patience());
        m.put("seed", c.seed());
        m.put("device", c.device());
        m.put("precision", c.precision().name().toLowerCase(java.util.Locale.ROOT));
        m.put("threads", c.threads());
        if (c.tokens() != null) { // absent: the run encodes its corpus, as every run before --tokens
            m.put("tokens", c.tokens().toString());
        }
        if (c.blockSize() > 0) { // absent: the model's context, as in the manifests of runs before --block-size
            m.put("block_size", c.blockSize());
        }
        if (c.fineTune() != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("base_model_name_or_path", c.fineTune().base());
            f.put("dir", c.fineTune().dir().toString());
            LoraConfig lora = c.fineTune().lora();
            if (lora != null) { // PEFT's names
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("r", lora.rank());
                l.put("lora_alpha", lora.alpha());
                l.put("lora_dropout", lora.dropout());
                l.put("target_modules", lora.targets());
                f.put("lora", l);
            }
            m.put("fine_tune", f);
        }
        return m;
    }

    static TrainConfig fromJson(JsonObject o) {
        Map<String, Object> model = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("model").entrySet()) {
            JsonElement v = e.getValue();
            model.put(e.getKey(), v.getAsJsonPrimitive().isBoolean() ? (Object) v.getAsBoolean()
                    : v.getAsJsonPrimitive().isNumber() ? (Object) v.getAsDouble() : v.getAsString());
        }
        return new TrainConfig(new ModelConfig(o.get("family").getAsString(), model), Path.of(o.get("tokenizer").getAsString()),
                o.get("corpus").getAsString(), Path.of(o.get("runs_dir").getAsString()), o.get("run_id").getAsString(),
                o.get("val_fraction").getAsDouble(), o.get("batch_size").getAsInt(), o.get("grad_accum").getAsInt(),
                o.get("steps").getAsInt(), o.get("learning_rate").getAsDouble(), o.get("min_learning_rate").getAsDouble(),
                o.get("warmup_steps").getAsInt(), o.get("weight_decay").getAsDouble(), o.get("beta1").getAsDouble(),
                o.get("beta2").getAsDouble(), o.get("eps").getAsDouble(), o.get("grad_clip").getAsDouble(),
                o.get("eval_every").getAsInt(), o.get("eval_batches").getAsInt(), o.get("checkpoint_every").getAsInt(),
                o.get("patience").getAsInt(), o.get("seed").getAsLong(), o.get("device").getAsString(),
                Precision.parse(o.get("precision").getAsString()), o.get("threads").getAsInt(),
                o.has("block_size") ? o.get("block_size").getAsInt() : 0, fineTune(o.getAsJsonObject("fine_tune")),
                o.has("tokens") ? Path.of(o.get("tokens").getAsString()) : null);
    }

    private static TrainConfig.FineTune fineTune(JsonObject f) {
        if (f == null) {
            return null;
        }
        LoraConfig lora = null;
        JsonObject l = f.getAsJsonObject("lora");
        if (l != null) {
            List<String> targets = new ArrayList<>();
            l.getAsJsonArray("target_modules").forEach(t -> targets.add(t.getAsString()));
            lora = LoraConfig.of(l.get("r").getAsInt(), l.get("lora_alpha").getAsDouble(), l.get("lora_dropout").getAsDouble(),
                    targets);
        }
        return new TrainConfig.FineTune(f.get("base_model_name_or_path").getAsString(), Path.of(f.get("dir").getAsString()), lora);
    }
}
