package dev.notebench.magics.maven;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * What {@code %maven} takes from a user's Maven {@code settings.xml}: the local repository, the
 * offline switch, and the mirrors (a corporate repository standing in for Maven Central, say).
 * Other settings (servers, proxies, profiles) are not read.
 *
 * @param localRepository {@code <localRepository>}, if set
 * @param offline {@code <offline>}
 * @param mirrors {@code <mirrors>}, in order
 */
public record MavenSettings(Optional<Path> localRepository, boolean offline, List<Mirror> mirrors) {
    /** Settings that change nothing. */
    public static final MavenSettings NONE = new MavenSettings(Optional.empty(), false, List.of());

    /** Copies the list. */
    public MavenSettings {
        mirrors = List.copyOf(mirrors);
    }

    /**
     * A {@code <mirror>}.
     *
     * @param id its id
     * @param url its URL
     * @param mirrorOf which repositories it stands in for: {@code *}, {@code central}, {@code external:*}, {@code a,!b}
     */
    public record Mirror(String id, String url, String mirrorOf) {
    }

    /**
     * Reads the user's settings: {@code ~/.m2/settings.xml}, or {@link #NONE} when there is none.
     *
     * @param userHome the home directory
     * @return the settings
     */
    public static MavenSettings ofUser(Path userHome) {
        Path file = userHome.resolve(".m2/settings.xml");
        return Files.isRegularFile(file) ? read(file) : NONE;
    }

    /**
     * Reads a settings file.
     *
     * @param file a Maven settings.xml
     * @return the settings
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} when it is not readable XML
     */
    public static MavenSettings read(Path file) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "cannot read Maven settings " + file + ": " + e.getMessage() + "; fix the XML or move the file away", e);
        }
        Element root = doc.getDocumentElement();
        Optional<Path> local = child(root, "localRepository").map(s -> Path.of(s.replace("${user.home}",
                System.getProperty("user.home"))));
        boolean offline = child(root, "offline").map(Boolean::parseBoolean).orElse(false);
        List<Mirror> mirrors = new ArrayList<>();
        for (Element list : elements(root, "mirrors")) {
            for (Element m : elements(list, "mirror")) {
                Optional<String> url = child(m, "url");
                if (url.isPresent()) {
                    mirrors.add(new Mirror(child(m, "id").orElse("mirror"), url.get(), child(m, "mirrorOf").orElse("*")));
                }
            }
        }
        return new MavenSettings(local, offline, mirrors);
    }

    private static List<Element> elements(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Optional<String> child(Element parent, String name) {
        List<Element> found = elements(parent, name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String text = found.get(0).getTextContent().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
