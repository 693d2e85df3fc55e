package dev.notebench.embed.hierarchy;

import java.util.List;

/**
 * A node of a class tree: an id, the name that is embedded, and children.
 *
 * @param id a stable identifier (e.g. a WordNet/ImageNet wnid)
 * @param name the text embedded for the node
 * @param children the children, in the order given
 */
public record Node(String id, String name, List<Node> children) {
    /** Makes a node; the children are copied. */
    public Node {
        children = List.copyOf(children);
    }

    /** Returns how many nodes the subtree has, this one included. */
    public int size() {
        int n = 1;
        for (Node c : children) {
            n += c.size();
        }
        return n;
    }
}
