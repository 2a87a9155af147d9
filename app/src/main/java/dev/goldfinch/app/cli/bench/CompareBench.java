package dev.goldfinch.app.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.Prefill;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench compare}: this project's pre-fill and decode and any peer's, in interleaved rounds on one machine, so a
 * disturbance from other processes hits both alike and the quietest round of each is comparable. A peer is a shell
 * command run once per round (for llama.cpp: {@code llama-bench -m M.gguf -p 512 -n 64 -t 2 -r 3 -o jsonl}); its
 * figures are read from JSON lines with {@code avg_ts} (llama-bench's), or from lines "NAME: X tokens/s".
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Pre-fill and decode tokens/s, ours and peers' (shell commands), in interleaved rounds, best round of each side by side.")
final class CompareBench implements Callable<Integer> {
    private static final Pattern PLAIN = Pattern.compile("^\\s*([A-Za-z][\\w.-]*)\\s*[:=]\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(?:tokens/s|t/s)\\b");

    @Mixin
    BenchOptions bench;

    @Mixin
    RandomModelOptions choice;

    @Option(names = "--prefill", defaultValue = "512", paramLabel = "N", description = "Tokens of the timed pre-fill, test ppN (default ${DEFAULT-VALUE}).")
    int prefillTokens;

    @Option(names = "--decode", defaultValue = "64", paramLabel = "N", description = "Tokens decoded one at a time, test tgN (default ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "R", description = "Interleaved rounds; the best of each is reported (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--peer", paramLabel = "LABEL=COMMAND", description = "A peer's benchmark, run through /bin/sh once per round (repeatable).")
    List<String> peers = new ArrayList<>();

    @Option(names = "--peer-timeout", defaultValue = "1800", paramLabel = "S", description = "Seconds a peer's round may take (default ${DEFAULT-VALUE}).")
    long peerTimeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int threads = bench.start();
        String pp = "pp" + prefillTokens, tg = "tg" + decodeTokens;
        // column label -> test -> best tokens/s; ours first, then the peers in the order given
        Map<String, Map<String, Double>> best = new LinkedHashMap<>();
        Map<String, Double> quietest = new LinkedHashMap<>();
        List<String> weights = List.of(choice.weights.split(","));
        Map<String, Model> models = new LinkedHashMap<>();
        try {
            for (String w : weights) models.put(w, bench.load(choice.architecture(), choice.shape(), w.strip()));
            double bandwidth = bench.bandwidth(threads), peak = MachineLimits.fmaPeak(threads, 5);
            System.out.printf(Locale.ROOT, "limits measured now: memory bandwidth %.1f GB/s, FMA peak %.1f GFLOP/s on %d threads%n", bandwidth, peak, threads);
            for (int round = 1; round <= rounds; round++) {
                for (var m : models.entrySet()) {
                    String label = "goldfinch " + m.getKey().strip();
                    MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
                    double prefill = prefillRate(m.getValue()), decode = decodeRate(m.getValue());
                    double load = MachineLimits.otherLoad(c0, MachineLimits.cpuSample());
                    keep(best, label, pp, prefill);
                    keep(best, label, tg, decode);
                    quietest.merge(label, Double.isNaN(load) ? 1.0 : load, Math::min);
                    System.out.printf(Locale.ROOT, "round %d %s: %s %.2f tokens/s, %s %.2f tokens/s; other processes %s%n", round, label, pp, prefill, tg, decode,
                            MachineLimits.percent(load));
                }
                for (String peer : peers) {
                    int eq = peer.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException("--peer must be LABEL=COMMAND, not '" + peer + "'");
                    String label = peer.substring(0, eq).strip();
                    MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
                    Map<String, Double> figures = runPeer(peer.substring(eq + 1), label);
                    double load = MachineLimits.otherLoad(c0, MachineLimits.cpuSample());
                    figures.forEach((test, rate) -> keep(best, label, test, rate));
                    if (!figures.isEmpty()) quietest.merge(label, Double.isNaN(load) ? 1.0 : load, Math::min);
                    System.out.printf(Locale.ROOT, "round %d %s: %s; other processes %s%n", round, label, figures.isEmpty() ? "no figures" : figures,
                            MachineLimits.percent(load));
                }
            }
        } finally {
            for (Model m : models.values()) m.close();
        }
        printTable(best, quietest, choice.shape() + " " + choice.architecture().id);
        return 0;
    }

    /** tokens/s of reading prefillTokens random tokens into a fresh state, in the app's chunks of 256. */
    private double prefillRate(Model model) {
        int[] ids = new SplittableRandom(prefillTokens).ints(prefillTokens, 0, model.config().vocab()).toArray();
        InferenceState st = model.newState();
        Prefill p = new Prefill(model, st);
        long t0 = System.nanoTime();
        for (int from = 0; from < ids.length; from += 256) p.feed(ids, from, Math.min(256, ids.length - from));
        p.finish();
        return ids.length / ((System.nanoTime() - t0) / 1e9);
    }

    /** tokens/s of decodeTokens greedy tokens one at a time, after 4 untimed. */
    private double decodeRate(Model model) {
        InferenceState st = model.newState();
        int[] tok = {1};
        DecodeBench.decode(model, st, tok, 4);
        return DecodeBench.decode(model, st, tok, decodeTokens);
    }

    /** One round of a peer: its figures by test name, or none (said in one line) when it fails. */
    private Map<String, Double> runPeer(String command, String label) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(peerTimeout, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            System.out.println(label + ": timed out after " + peerTimeout + " s");
            return Map.of();
        }
        if (p.exitValue() != 0) {
            System.out.println(label + ": exited with " + p.exitValue() + "; its figures are left out of this round");
            return Map.of();
        }
        return peerFigures(new String(out, StandardCharsets.UTF_8));
    }

    /** Test name (ppN, tgN, or the name a plain line gives) to tokens/s, from a peer's output. */
    static Map<String, Double> peerFigures(String output) throws IOException {
        Map<String, Double> figures = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        String trimmed = output.strip();
        List<JsonNode> records = new ArrayList<>();
        if (trimmed.startsWith("[")) json.readTree(trimmed).forEach(records::add); // llama-bench -o json
        for (String line : output.split("\n")) {
            String l = line.strip();
            if (l.startsWith("{")) {
                records.add(json.readTree(l)); // -o jsonl
                continue;
            }
            Matcher m = PLAIN.matcher(l);
            if (m.find()) figures.merge(m.group(1), Double.parseDouble(m.group(2)), Math::max);
        }
        for (JsonNode r : records) {
            if (!r.has("avg_ts")) continue;
            int prompt = r.path("n_prompt").asInt(0), gen = r.path("n_gen").asInt(0);
            String test = prompt > 0 && gen == 0 ? "pp" + prompt : gen > 0 && prompt == 0 ? "tg" + gen : "pp" + prompt + "+tg" + gen;
            figures.merge(test, r.get("avg_ts").asDouble(), Math::max);
        }
        return figures;
    }

    private static void keep(Map<String, Map<String, Double>> best, String label, String test, double rate) {
        best.computeIfAbsent(label, k -> new LinkedHashMap<>()).merge(test, rate, Math::max);
    }

    /** One row per test, one column per side (best round), each peer's ratio to our first weights column. */
    private static void printTable(Map<String, Map<String, Double>> best, Map<String, Double> quietest, String what) {
        List<String> tests = new ArrayList<>();
        best.values().forEach(m -> m.keySet().forEach(t -> {
            if (!tests.contains(t)) tests.add(t);
        }));
        List<String> labels = new ArrayList<>(best.keySet());
        System.out.println("best round, tokens/s (" + what + "):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s", "test"));
        for (String l : labels) head.append(String.format(Locale.ROOT, " | %-18s", l));
        System.out.println(head);
        for (String t : tests) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", t));
            for (String l : labels) {
                Double v = best.get(l).get(t);
                row.append(String.format(Locale.ROOT, " | %-18s", v == null ? "-" : String.format(Locale.ROOT, "%.2f", v)));
            }
            System.out.println(row);
        }
        for (String ours : labels.stream().filter(l -> l.startsWith("goldfinch ")).toList()) {
            for (String peer : labels.stream().filter(l -> !l.startsWith("goldfinch ")).toList()) {
                StringBuilder ratios = new StringBuilder(ours + " against " + peer + ":");
                for (String t : tests) {
                    Double a = best.get(ours).get(t), b = best.get(peer).get(t);
                    if (a != null && b != null) ratios.append(String.format(Locale.ROOT, " %s %.2fx", t, a / b));
                }
                System.out.println(ratios);
            }
        }
        StringBuilder quiet = new StringBuilder("quietest round, other processes:");
        for (String l : labels) quiet.append(' ').append(l).append(' ').append(MachineLimits.percent(quietest.getOrDefault(l, Double.NaN))).append(';');
        System.out.println(quiet.substring(0, quiet.length() - 1));
    }
}
