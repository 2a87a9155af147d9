package dev.goldfinch.app.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scoring rule on fixed answers: the first number stated must be the code. */
class RecallScoreTest {
    @Test
    void theCodeStatedFirstIsRecalledWithOrWithoutSeparators() {
        for (String a : List.of("7261", "The code is 7,261.", "The access code of the blue archive is 7261.", " 7261\n\nQuestion:", "7 261", "7.261",
                "It is 7\u202F261.", "Code: 7261, as the text says.")) {
            assertTrue(RecallScore.recalled(a, "7261"), a);
        }
    }

    @Test
    void anotherNumberNoNumberOrAHedgeThatNamesAWrongOneFirstIsNot() {
        for (String a : List.of("7216", "72610", "The code is 72,610.", "I don't know.", "", "seven thousand two hundred sixty-one", "7216, or maybe 7261",
                "Chapter 12", "726", "17261")) {
            assertFalse(RecallScore.recalled(a, "7261"), a);
        }
    }

    @Test
    void numbersAreReadWithTheirThousandsGroupsOnly() {
        assertEquals(List.of("7261"), RecallScore.numbers("The code is 7,261."));
        assertEquals(List.of("1", "2"), RecallScore.numbers("1,2"), "a comma not followed by three digits separates two numbers");
        assertEquals(List.of("7261", "12"), RecallScore.numbers("7261 in room 12"));
        assertEquals(List.of("1", "2345"), RecallScore.numbers("1,2345"), "four digits after a comma are not a thousands group");
    }
}
