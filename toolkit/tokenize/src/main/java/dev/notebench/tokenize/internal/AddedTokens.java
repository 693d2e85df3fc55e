package dev.notebench.tokenize.internal;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds added tokens in text as Hugging Face's {@code AddedVocabulary} does: leftmost-longest
 * matches of their contents. Immutable; thread-safe.
 */
final class AddedTokens {
    /** Receives a text's parts in order. */
    interface Visitor {
        /** Text without tokens, {@code s[from, to)}, never empty. */
        void text(String s, int from, int to);

        /** A token. */
        void token(int id);
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>();
        int id = -1;
    }

    private final Node root = new Node();
    private final BitSet firstChars = new BitSet();

    AddedTokens(Map<String, Integer> tokens) {
        tokens.forEach((content, id) -> {
            if (content.isEmpty()) {
                return;
            }
            Node n = root;
            for (int i = 0; i < content.length(); i++) {
                n = n.children.computeIfAbsent(content.charAt(i), c -> new Node());
            }
            n.id = id;
            firstChars.set(content.charAt(0));
        });
    }

    boolean isEmpty() {
        return root.children.isEmpty();
    }

    /** Splits {@code s} into text and tokens. */
    void split(String s, Visitor v) {
        int done = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (!firstChars.get(s.charAt(i))) {
                continue;
            }
            Node node = root;
            int id = -1;
            int end = -1;
            for (int j = i; j < n; j++) {
                node = node.children.get(s.charAt(j));
                if (node == null) {
                    break;
                }
                if (node.id >= 0) {
                    id = node.id;
                    end = j + 1;
                }
            }
            if (id >= 0) {
                if (i > done) {
                    v.text(s, done, i);
                }
                v.token(id);
                done = end;
                i = end - 1;
            }
        }
        if (done < n) {
            v.text(s, done, n);
        }
    }
}
