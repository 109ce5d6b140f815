package dev.mediagate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.testing.RequiredTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The AWS SAM translator, the code CloudFormation runs for {@code Transform: AWS::Serverless-2016-10-31}: the Python
 * package cfn-lint depends on, so every machine that lints the template has it.
 */
final class SamTranslator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SamTranslator() {
    }

    /** template.yaml translated once per parameter set, as a deploy with those parameter values would translate it. */
    static List<JsonNode> translate(Path template, List<Map<String, String>> parameterSets) throws IOException, InterruptedException {
        return translate(template, parameterSets, "");
    }

    /** The same after {@code sam package} uploaded new code for one function or layer (a new S3 location for it). */
    static List<JsonNode> translate(Path template, List<Map<String, String>> parameterSets, String changedCode)
            throws IOException, InterruptedException {
        Path python = RequiredTools.require("python3", "Python 3 with the SAM translator (pip install cfn-lint)");
        Path script = Files.createTempFile("sam-translate", ".py");
        try (InputStream source = SamTranslator.class.getResourceAsStream("/sam/translate.py")) {
            Files.write(script, source.readAllBytes());
        }
        Path output = Files.createTempFile("sam-translated", ".json");
        try {
            ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(), template.toString(),
                    JSON.writeValueAsString(parameterSets), changedCode).redirectOutput(output.toFile()).redirectErrorStream(false);
            builder.environment().put("AWS_DEFAULT_REGION", SamTemplate.LOCAL_REGION);
            Process process = builder.start();
            String errors = new String(process.getErrorStream().readAllBytes());
            int exit = process.waitFor();
            assertThat(exit).as("the SAM translator failed:\n" + errors).isZero();
            List<JsonNode> translated = new ArrayList<>();
            JSON.readTree(output.toFile()).forEach(translated::add);
            return translated;
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(output);
        }
    }
}
