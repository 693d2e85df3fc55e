package dev.notebench.associations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each relation type of the default patterns on hand-written sentences: the exact triples. */
class RelationsTest {
    private static final Extractor EXTRACTOR = Extractor.builder().workers(1).build();

    private static List<String> triples(String text) {
        return EXTRACTOR.extract(List.of(text)).associations().stream()
                .map(a -> a.source() + " | " + a.relation() + " | " + a.target()).toList();
    }

    @Test
    void isAFromHearstPatterns() {
        assertEquals(List.of("lions | is-a | dangerous animals", "tigers | is-a | dangerous animals",
                        "bears | is-a | dangerous animals"),
                triples("The park shelters dangerous animals such as lions, tigers and bears."));
        assertEquals(List.of("Herrick | is-a | authors", "Goldsmith | is-a | authors", "Shakespeare | is-a | authors"),
                triples("He read such authors as Herrick, Goldsmith, and Shakespeare."));
        assertEquals(List.of("Bruises | is-a | injuries", "broken bones | is-a | injuries"),
                triples("Bruises, broken bones or other injuries were reported."));
        assertEquals(List.of("France | is-a | European countries", "England | is-a | European countries"),
                triples("Many European countries, including France and England, signed it."));
        assertEquals(List.of("cholera | is-a | infectious diseases"),
                triples("We fight infectious diseases, especially cholera."));
        assertEquals(List.of("whale | is-a | mammal"), triples("The whale is a mammal."));
        assertEquals(List.of("Jazz | is-a | music"), triples("Jazz is a kind of music."));
    }

    @Test
    void partOf() {
        assertEquals(List.of("wheel | part-of | car"), triples("The wheel is part of the car."));
        assertEquals(List.of("senators | part-of | Congress", "representatives | part-of | Congress"),
                triples("Congress consists of senators and representatives."));
        assertEquals(List.of("engine | part-of | kit"), triples("The kit contains an engine."));
    }

    @Test
    void causes() {
        assertEquals(List.of("Smoking | causes | cancer"), triples("Smoking causes cancer."));
        assertEquals(List.of("Higher taxes | causes | slower growth"), triples("Higher taxes lead to slower growth."));
        assertEquals(List.of("drought | causes | famine"), triples("The drought resulted in famine."));
        assertEquals(List.of("storm | causes | damage"), triples("The damage was caused by the storm."));
    }

    @Test
    void usedForLocatedInHasPropertyBeforeAndAfter() {
        assertEquals(List.of("hammer | used-for | nails"), triples("A hammer is used for nails."));
        assertEquals(List.of("headquarters | located-in | Geneva"), triples("The headquarters is located in Geneva."));
        assertEquals(List.of("economy | has-property | strong"), triples("Our economy is strong."));
        assertEquals(List.of("union | has-property | strong"), triples("The state of our union is very strong!"));
        assertEquals(List.of("Dawn | before | sunrise"), triples("Dawn comes before sunrise."));
        assertEquals(List.of("recovery | after | recession"), triples("The recovery followed the recession."));
    }

    @Test
    void provenanceNamesTheConceptTheSentenceAndItsOffsets() {
        String text = "Mr. Smith came. Oil contains carbon. Done.";
        Association a = EXTRACTOR.extract(List.of("nothing here", text)).associations().get(0);
        assertEquals(1, a.concept());
        assertEquals(1, a.sentence());
        assertEquals("Oil contains carbon.", text.substring(a.sentenceStart(), a.sentenceEnd()));
        assertEquals("carbon", a.sourceHead());
        assertEquals("oil", a.targetHead());
        assertEquals(0.6, a.confidence());
        assertEquals("{T} (contains|contain|contained) {S+}", a.pattern());
    }

    @Test
    void sentencesEndAtStopsButNotAtAbbreviations() {
        List<Texts.Sentence> s = Texts.sentences("Mr. Smith went to the U.S. last year. He said \"Yes!\" Then 3 more came? No.");
        assertEquals(List.of("Mr. Smith went to the U.S. last year.", "He said \"Yes!\"", "Then 3 more came?", "No."),
                s.stream().map(x -> "Mr. Smith went to the U.S. last year. He said \"Yes!\" Then 3 more came? No."
                        .substring(x.start(), x.end())).toList());
    }

    @Test
    void pluralHeadsAreMadeSingular() {
        assertEquals(List.of("policy", "tax", "wolf", "lion", "glass", "virus", "basis", "church"),
                List.of("policies", "taxes", "wolves", "lions", "glass", "virus", "basis", "churches").stream()
                        .map(Words::singular).toList());
    }
}
