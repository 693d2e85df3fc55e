package dev.notebench.train.generate;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scores and samples as JSON, as {@code --json} prints them in both front ends. */
public final class ResultsJson {
    private ResultsJson() {
    }

    /**
     * A score as one JSON object: {@code model}, {@code tokens} (the ids), {@code texts},
     * {@code loss} (mean nats per predicted token, as transformers computes it with labels = input
     * ids), {@code perplexity}, {@code predicted} (how many tokens the loss is over) and
     * {@code surprisal} (null for the first token).
     *
     * @param source the model's directory or checkpoint
     * @param s the score
     * @return the JSON text, one line
     */
    public static String score(String source, Scorer.Score s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", source);
        o.put("tokens", s.ids());
        o.put("texts", s.tokens());
        o.put("loss", s.loss());
        o.put("perplexity", s.perplexity());
        o.put("predicted", s.ids().length - 1);
        List<Double> surprisal = new ArrayList<>();
        for (double x : s.surprisal()) {
            surprisal.add(Double.isNaN(x) ? null : x);
        }
        o.put("surprisal", surprisal);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }

    /**
     * Samples as one JSON object: {@code model}, the first sample's {@code text}, {@code tokens}
     * (the new ids) and {@code stop_reason} at the top, and every sample under {@code samples}.
     *
     * @param source the model's directory or checkpoint
     * @param samples the samples, at least one
     * @return the JSON text, one line
     */
    public static String samples(String source, List<Generator.Sample> samples) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Generator.Sample s : samples) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("text", s.text());
            o.put("tokens", s.tokens());
            o.put("stop_reason", s.stopReason());
            all.add(o);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", source);
        o.putAll(all.get(0));
        o.put("samples", all);
        return new GsonBuilder().disableHtmlEscaping().create().toJson(o);
    }
}
