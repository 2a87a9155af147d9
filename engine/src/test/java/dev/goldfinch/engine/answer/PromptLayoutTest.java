package dev.goldfinch.engine.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import org.junit.jupiter.api.Test;

/** The prompt text of every layout, exactly; G1 as ../shared/spec/rwkv7-model.md gives its chat template. */
class PromptLayoutTest {
    @Test
    void plainAndChatAreAsTheyWere() {
        assertEquals("\n\nQuestion: Why?\n\nAnswer:", PromptLayout.PLAIN.questionTurn("  Why? "));
        assertEquals("\n\nUser: Why?\n\nAssistant:", PromptLayout.CHAT.questionTurn("Why?\n"));
        assertEquals("\n\nQuestion:", PromptLayout.PLAIN.nextTurnMarker);
        assertEquals("\n\nUser:", PromptLayout.CHAT.nextTurnMarker);
        // Neither cleans, thinks or looks at the state's tail.
        assertEquals("\n\nUser: a\n\nb\n\nAssistant:", PromptLayout.CHAT.questionTurn("a\n\nb", true, "\n\nUser"));
        assertEquals("", PromptLayout.CHAT.assistantOpening(true));
        assertFalse(PromptLayout.PLAIN.framesDocument() || PromptLayout.CHAT.framesDocument());
    }

    @Test
    void g1QuestionTurnsWithAndWithoutThinking() {
        assertEquals("User: What do they eat?\n\nAssistant: <think></think", PromptLayout.G1.questionTurn("What do they eat?"));
        assertEquals("User: What do they eat?\n\nAssistant: <think></think", PromptLayout.G1.questionTurn("What do they eat?", false, "document.\n\n"));
        assertEquals("User: What do they eat?\n\nAssistant: <think", PromptLayout.G1.questionTurn("What do they eat?", true, "\n\n"));
        assertEquals(" <think", PromptLayout.G1.assistantOpening(true));
        assertEquals(" <think></think", PromptLayout.G1.assistantOpening(false));
        assertEquals("\n\nUser:", PromptLayout.G1.nextTurnMarker);
        assertTrue(PromptLayout.G1.framesDocument());
    }

    @Test
    void g1CleansTheQuestion() {
        assertEquals("User: First line\nSecond line\n\nAssistant: <think></think",
                PromptLayout.G1.questionTurn("  First line\r\n\r\n\n\nSecond line \n\n", false, "\n\n"));
    }

    @Test
    void g1CompletesTheSeparatorTheStateAlreadyPartlyHolds() {
        // After an answer that ended with end-of-text: a whole separator.
        assertEquals("\n\nUser: Why?\n\nAssistant: <think></think", PromptLayout.G1.questionTurn("Why?", false, "Thistle seeds."));
        // After an answer whose last newline was fed.
        assertEquals("\nUser: Why?\n\nAssistant: <think></think", PromptLayout.G1.questionTurn("Why?", false, "seeds.\n"));
        // After an answer stopped at the next-turn marker: "\n\nUser" was fed, ":" was not.
        assertEquals(": Why?\n\nAssistant: <think></think", PromptLayout.G1.questionTurn("Why?", false, "seeds.\n\nUser"));
        // "User" inside the text is no separator.
        assertEquals("\n\nUser: Why?\n\nAssistant: <think></think", PromptLayout.G1.questionTurn("Why?", false, "the User"));
    }

    @Test
    void aG1ConversationReadsAsTheTemplate() {
        WorldTokenizer tokenizer = WorldTokenizer.load(Fixtures.vocabulary());
        String doc = "Goldfinches\r\n\r\n\r\nThey eat thistle seeds.\n\n\nThey nest late.";
        DocumentTurn turn = DocumentTurn.of(PromptLayout.G1, doc, tokenizer.encode(doc), tokenizer);
        String documentTurn = tokenizer.decode(turn.tokens());
        assertEquals("System: The user asks questions about the following document.\nGoldfinches\nThey eat thistle seeds.\nThey nest late.\n\n", documentTurn);
        String q1 = PromptLayout.G1.questionTurn("What do they eat?", false, documentTurn);
        String a1 = " Thistle seeds.";
        String q2 = PromptLayout.G1.questionTurn("When do they nest?", true, documentTurn + q1 + ">" + a1);
        assertEquals("System: The user asks questions about the following document.\nGoldfinches\nThey eat thistle seeds.\nThey nest late.\n\n"
                + "User: What do they eat?\n\nAssistant: <think></think> Thistle seeds.\n\n"
                + "User: When do they nest?\n\nAssistant: <think", documentTurn + q1 + ">" + a1 + q2);
    }

    @Test
    void namesAndTheArchitectureChoice() {
        assertEquals(PromptLayout.G1, PromptLayout.parse("g1"));
        assertEquals(PromptLayout.G1, PromptLayout.parse(" G1 "));
        assertEquals(PromptLayout.CHAT, PromptLayout.parse("chat"));
        assertEquals(PromptLayout.PLAIN, PromptLayout.parse("PLAIN"));
        assertThrows(IllegalArgumentException.class, () -> PromptLayout.parse("llama"));
        assertEquals(PromptLayout.G1, PromptLayout.forArchitecture("rwkv7", PromptLayout.PLAIN));
        assertEquals(PromptLayout.G1, PromptLayout.forArchitecture("RWKV7", PromptLayout.CHAT));
        assertEquals(PromptLayout.CHAT, PromptLayout.forArchitecture("finch", PromptLayout.CHAT));
        assertEquals(PromptLayout.PLAIN, PromptLayout.forArchitecture("goldfinch", PromptLayout.PLAIN));
        assertEquals(PromptLayout.PLAIN, PromptLayout.forArchitecture(null, PromptLayout.PLAIN));
    }
}
