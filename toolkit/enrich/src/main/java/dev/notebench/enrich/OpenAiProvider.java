package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.List;

/** The {@code openai} provider: any OpenAI-compatible chat-completions server ({@link OpenAiChatAnnotator}). */
public final class OpenAiProvider implements AnnotatorProvider {
    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String description() {
        return "an OpenAI-compatible chat server (OpenAI, Ollama, vLLM, llama.cpp, LM Studio): --base-url, --model, --key-env";
    }

    @Override
    public Annotator open(AnnotatorOptions o, OutputSchema schema, String instructions, List<Example> examples) {
        String model = o.model().orElseThrow(() -> new NotebenchException(ErrorCode.CONFIG_INVALID,
                "name the server's model (--model), e.g. gpt-4o-mini or llama3.2"));
        String base = o.baseUrl().orElse("https://api.openai.com/v1");
        OpenAiChatAnnotator.Builder b = OpenAiChatAnnotator.builder(model).baseUrl(base).apiKeyEnv(o.apiKeyEnv().orElse(null))
                .environment(o.environment()).temperature(o.temperature()).maxTokens(o.maxTokens()).workers(o.workers())
                .rateLimits(o.requestsPerMinute(), o.tokensPerMinute()).timeout(o.timeout())
                .retries(o.retries(), java.time.Duration.ofMillis(500)).secrets(o.secrets())
                .logprobs(o.logprobs());
        o.headers().forEach(b::header);
        ResponseCache cache = o.responseCache().map(ResponseCache::open).orElse(null);
        if (cache != null) {
            b.cache(cache);
        }
        try {
            OpenAiChatAnnotator inner = b.build();
            return cache == null ? inner : new ClosingCache(inner, cache);
        } catch (RuntimeException e) {
            if (cache != null) {
                cache.close();
            }
            throw e;
        }
    }

    /** An annotator that also closes the cache it was opened with. */
    private record ClosingCache(OpenAiChatAnnotator inner, ResponseCache cache) implements Annotator {
        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public Answer annotate(AnnotationRequest request) {
            return inner.annotate(request);
        }

        @Override
        public void accepted(Answer answer) {
            inner.accepted(answer);
        }

        @Override
        public java.util.Optional<dev.notebench.http.CallStats> callStats() {
            return inner.callStats();
        }

        @Override
        public java.util.Optional<int[]> concurrency() {
            return inner.concurrency();
        }

        @Override
        public java.util.Optional<BatchJobs> batchJobs() {
            return inner.batchJobs();
        }

        @Override
        public dev.notebench.secrets.Secrets secrets() {
            return inner.secrets();
        }

        @Override
        public void close() {
            inner.close();
            cache.close();
        }

        @Override
        public String toString() {
            return inner.toString();
        }
    }
}
