package dev.goldfinch.engine.model;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.kernel.Vectors;
import java.io.PrintWriter;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Run in a JVM of its own with -Dgoldfinch.vectorBits=B (VectorWidthsTest): prints the width the kernels run at,
 * runs the kernel tests (every test of the kernel package, the attention, the int8 model and the element-wise tests) and prints their
 * count, then feeds every model fixture in one call, one token at a time and in chunks of 7 against its reference
 * logits, and prints "worst E".
 */
public final class VectorWidthMain {
    public static void main(String[] args) {
        System.out.println("bits " + Vectors.FLOAT.vectorBitSize());
        runKernelTests();
        float worst = 0;
        for (Fixtures.Model m : Fixtures.models()) {
            try (Model model = ModelLoader.load(m.checkpoint(), OptionalDouble.of(m.ropeBase()))) {
                float[] ref = m.logits();
                for (int chunk : new int[] {0, 1, 7}) {
                    float err = Fixtures.maxAbsDiff(ReferenceLogitsTest.logits(model, m.tokens(), chunk), 0, ref, 0, ref.length);
                    System.out.println(m + " chunk " + chunk + ": " + err);
                    worst = Math.max(worst, Float.isNaN(err) ? Float.POSITIVE_INFINITY : err);
                }
            }
        }
        System.out.println("worst " + worst);
    }

    /** Prints "kernel test classes: A B …", every failure, and "kernel tests: P passed, F failed, A aborted". */
    private static void runKernelTests() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.goldfinch.engine.kernel"), selectClass(AttentionTest.class), selectClass(Int8WeightsTest.class),
                        selectClass(OpsTest.class))
                .build();
        Set<String> classes = new TreeSet<>();
        TestExecutionListener classNames = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().orElse(null) instanceof ClassSource c) classes.add(c.getJavaClass().getSimpleName());
            }
        };
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, summary, classNames);
        TestExecutionSummary s = summary.getSummary();
        System.out.println("kernel test classes: " + String.join(" ", classes));
        s.printFailuresTo(new PrintWriter(System.out, true), 30);
        System.out.println("kernel tests: " + s.getTestsSucceededCount() + " passed, " + s.getTestsFailedCount() + " failed, "
                + s.getTestsAbortedCount() + " aborted");
    }
}
