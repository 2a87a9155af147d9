package dev.goldfinch.app.recall;

/**
 * A fact planted in a document: "The access code of the blue archive is 7261." Its colour and place name it, its
 * code is what the model must give back.
 */
public record Fact(String colour, String place, int code) {

    public String sentence() {
        return "The access code of the " + colour + " " + place + " is " + code + ".";
    }

    public String question() {
        return "What is the access code of the " + colour + " " + place + "?";
    }

    public String expected() {
        return Integer.toString(code);
    }
}
