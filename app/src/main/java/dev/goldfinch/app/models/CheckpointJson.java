package dev.goldfinch.app.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON beside a downloaded checkpoint, {@code <stem>.json}: its kind (chat or base), which is how the app and
 * {@code info} tell a chat model when the file name does not, its architecture, where it came from, and whose
 * SHA-256 it was checked against. The engine reads the same file (kind, rope_base), so what a person wrote into an
 * existing one is kept.
 */
final class CheckpointJson {
    private CheckpointJson() {
    }

    static Path path(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return checkpoint.resolveSibling((name.endsWith(".pth") ? name.substring(0, name.length() - 4) : name) + ".json");
    }

    /** Whose SHA-256 a checkpoint was checked against when it was downloaded, as its JSON says; null if unverified. */
    static String verifiedBy(Path checkpoint) {
        return read(checkpoint).path("verified_by").asText(null);
    }

    /** The model's name as its JSON gives it (a download's catalogue name, the demo model's), if it gives one. */
    static java.util.Optional<String> name(Path checkpoint) {
        return java.util.Optional.ofNullable(read(checkpoint).path("name").asText(null)).filter(n -> !n.isBlank());
    }

    /** The JSON of a checkpoint as an object (empty if there is none or it is not one). */
    private static ObjectNode read(Path checkpoint) {
        ObjectMapper mapper = new ObjectMapper();
        try {
            Path json = path(checkpoint);
            if (Files.isRegularFile(json) && mapper.readTree(json.toFile()) instanceof ObjectNode o) return o;
        } catch (IOException | RuntimeException unreadable) {
            // written anew
        }
        return mapper.createObjectNode();
    }

    /** Adds a name and a note to a checkpoint's JSON, keeping what is there; a failure is logged (the checkpoint is whole). */
    static void describe(Path checkpoint, String name, String note) {
        Path json = path(checkpoint);
        ObjectNode node = read(checkpoint);
        node.put("name", name);
        node.put("note", note);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), node);
        } catch (IOException e) {
            System.getLogger(CheckpointJson.class.getName()).log(System.Logger.Level.WARNING, "could not write " + json, e);
        }
    }

    /**
     * Writes what the engine reads (kind) and where the checkpoint came from and how it was checked into its JSON;
     * a failure is logged, not thrown: the checkpoint itself is whole and in place.
     */
    static void write(Path checkpoint, ResolvedFile file, DownloadedFile result) {
        Path json = path(checkpoint);
        ModelCatalogue.Entry entry = file.entry();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode node = read(checkpoint);
        node.put("kind", entry.kind());
        node.put("architecture", entry.architecture());
        node.put("catalogue_id", entry.id());
        node.put("name", entry.name());
        node.put("url", file.url().toString());
        node.put("bytes", result.bytes());
        if (result.sha256() != null) node.put("sha256", result.sha256());
        node.put("verified", result.verified());
        if (result.verified()) node.put("verified_by", result.verifiedBy());
        else node.remove("verified_by");
        try {
            mapper.writeValue(json.toFile(), node);
        } catch (IOException e) {
            System.getLogger(CheckpointJson.class.getName()).log(System.Logger.Level.WARNING, "could not write " + json, e);
        }
    }
}
