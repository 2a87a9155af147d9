package dev.goldfinch.app.recall;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Whether an answer recalls the planted code. The rule: the first number the answer states must be the code. A
 * number is a run of digits; groups of three digits after a thousands separator (a comma, a point, an apostrophe or a
 * space, regular or narrow no-break) belong to it, so "The code is 7,261." states 7261. So "7261" and "The code is
 * 7,261." recall 7261; "7216", "72610", "I don't know" and "7216, or maybe 7261" do not (a hedge that names a wrong
 * number first is not recall). Numbers spelled out in words are not read.
 */
public final class RecallScore {
    private RecallScore() {
    }

    public static boolean recalled(String answer, String expected) {
        OptionalLong first = firstNumber(answer);
        return first.isPresent() && Long.toString(first.getAsLong()).equals(expected.replaceFirst("^0+(?=\\d)", ""));
    }

    /** The first number stated in {@code answer}, if any. */
    public static OptionalLong firstNumber(String answer) {
        List<String> n = numbers(answer);
        if (n.isEmpty()) return OptionalLong.empty();
        String digits = n.getFirst();
        if (digits.length() > 18) digits = digits.substring(0, 18); // a run too long for a long is not the code anyway
        return OptionalLong.of(Long.parseLong(digits));
    }

    /** The numbers stated in {@code answer}, as digit strings, in order. */
    static List<String> numbers(String answer) {
        List<String> out = new ArrayList<>();
        int i = 0, n = answer.length();
        while (i < n) {
            if (!isDigit(answer.charAt(i))) {
                i++;
                continue;
            }
            StringBuilder digits = new StringBuilder();
            while (true) {
                while (i < n && isDigit(answer.charAt(i))) digits.append(answer.charAt(i++));
                // a separator followed by exactly three digits (and no fourth) continues the number
                if (i < n && isSeparator(answer.charAt(i)) && threeDigitsAt(answer, i + 1)) {
                    i++;
                } else {
                    break;
                }
            }
            out.add(digits.toString());
        }
        return out;
    }

    private static boolean threeDigitsAt(String s, int at) {
        if (at + 3 > s.length()) return false;
        for (int k = at; k < at + 3; k++) if (!isDigit(s.charAt(k))) return false;
        return at + 3 == s.length() || !isDigit(s.charAt(at + 3));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSeparator(char c) {
        return c == ',' || c == '.' || c == '\'' || c == ' ' || c == '\u00A0' || c == '\u202F' || c == '\u2019';
    }
}
