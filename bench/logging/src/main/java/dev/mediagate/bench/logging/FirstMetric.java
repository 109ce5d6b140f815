package dev.mediagate.bench.logging;

/** From main to the first metric written as an EMF line: Powertools' metrics or media-core's, by the first argument. */
public final class FirstMetric {

    private FirstMetric() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        if (args[0].equals("powertools")) {
            software.amazon.lambda.powertools.metrics.Metrics metrics =
                    software.amazon.lambda.powertools.metrics.MetricsFactory.getMetricsInstance();
            metrics.setNamespace("mediagate");
            metrics.addDimension("Function", "image-resizer");
            metrics.addMetric("VariantsMade", 3, software.amazon.lambda.powertools.metrics.model.MetricUnit.COUNT);
            metrics.flush();
        } else {
            dev.mediagate.core.metrics.Metrics.toStandardOutput("image-resizer")
                    .put(java.util.Map.of(), "Count", java.util.Map.of("VariantsMade", 3));
        }
        System.err.printf("first-metric=%.1f ms%n", (System.nanoTime() - start) / 1e6);
        // Powertools leaves a non-daemon executor thread running; Lambda would freeze it, a bench process must end.
        System.exit(0);
    }
}
