package dev.mediagate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.testing.DocBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * {@code sam deploy --config-env <env>} for every environment of {@code samconfig.toml}, as SAM CLI would parse it:
 * every parameter CloudFormation needs is there, and every value arrives whole and valid for the template.
 */
class SamConfigTest {

    private static final Path ROOT = TemplateTest.ROOT;
    private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
    private final SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
    private final TomlParseResult samconfig = samconfig();

    @Test
    void theParserPortReadsOverridesAsSamCliDoes() {
        assertThat(SamCliParameterOverrides.parse("Stage=dev AllowedOrigins=\"http://a,http://b\" JwtAudience=mediagate"))
                .containsExactly(Map.entry("Stage", "dev"), Map.entry("AllowedOrigins", "http://a,http://b"),
                        Map.entry("JwtAudience", "mediagate"));
        assertThat(SamCliParameterOverrides.parse("CdnPublicKeyPem='-----BEGIN PUBLIC KEY----- abc' Stage=prod"))
                .containsEntry("CdnPublicKeyPem", "-----BEGIN PUBLIC KEY----- abc");
        assertThat(SamCliParameterOverrides.parse("ParameterKey=Stage,ParameterValue=dev")).containsExactly(Map.entry("Stage", "dev"));
        assertThat(SamCliParameterOverrides.parse("Name=a\\ b")).containsExactly(Map.entry("Name", "a b"));
        assertThatThrownBy(() -> SamCliParameterOverrides.parse(
                "CdnPublicKeyPem=-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY----- Stage=prod"))
                .hasMessageContaining("silently drops 'PUBLIC KEY-----");
    }

    @Test
    void everyEnvironmentPassesEveryRequiredParameterWithItsValueWholeAndValid() {
        for (String environment : ENVIRONMENTS) {
            Map<String, String> overrides = overrides(environment);

            for (Map.Entry<String, Object> parameter : SamTemplate.map(template.root().get("Parameters")).entrySet()) {
                if (!SamTemplate.map(parameter.getValue()).containsKey("Default")) {
                    assertThat(overrides).as(environment + " must pass " + parameter.getKey()).containsKey(parameter.getKey());
                }
            }
            overrides.forEach((name, value) -> assertThat(problemWith(name, value)).as(environment + ": " + name + "=" + value).isEmpty());
            assertThat(overrides).as(environment).containsEntry("Stage", environment);
        }
    }

    @Test
    void everyEnvironmentDeploysItsOwnStackInsteadOfTheDefaultOne() {
        List<String> stacks = new ArrayList<>();
        for (String environment : ENVIRONMENTS) {
            TomlTable deploy = samconfig.getTable(environment + ".deploy.parameters");
            assertThat(deploy).as(environment).isNotNull();
            stacks.add(deploy.getString("stack_name"));
            assertThat(deploy.getString("capabilities")).as(environment).isEqualTo("CAPABILITY_IAM");
        }
        assertThat(stacks).doesNotHaveDuplicates();
        assertThat(samconfig.getTable("default.deploy.parameters")).as("a bare sam deploy would drop an environment's values").isNull();
    }

    @Test
    void theDocumentedDeployCommandsUseAnEnvironmentAndNeverReplaceItsParametersOnTheCommandLine() {
        List<String> commands = documentedCommands("sam deploy");

        assertThat(commands).isNotEmpty();
        for (String command : commands) {
            Matcher environment = Pattern.compile("--config-env (\\S+)").matcher(command);
            assertThat(environment.find()).as(command).isTrue();
            assertThat(ENVIRONMENTS).as(command).contains(environment.group(1));
            // On the command line they replace the environment's whole list: prod would silently lose its own values.
            assertThat(command).as(command).doesNotContain("--parameter-overrides");
        }
    }

    /** Shell lines of the README's and docs' code blocks that start with the given command (continuation lines joined). */
    static List<String> documentedCommands(String command) {
        List<String> found = new ArrayList<>();
        StringBuilder current = null;
        for (String line : DocBlocks.codeLines(ROOT)) {
            String text = line.strip();
            if (current != null) {
                current.append(' ').append(text);
            } else if (text.startsWith(command)) {
                current = new StringBuilder(text);
            }
            if (current != null && !text.endsWith("\\")) {
                found.add(current.toString().replace("\\ ", " "));
                current = null;
            }
        }
        return found;
    }

    private Map<String, String> overrides(String environment) {
        TomlTable deploy = samconfig.getTable(environment + ".deploy.parameters");
        Object value = deploy == null ? null : deploy.get("parameter_overrides");
        if (value instanceof TomlArray array) {
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                strings.add(array.getString(i));
            }
            return SamCliParameterOverrides.parse(strings);
        }
        return value == null ? Map.of() : SamCliParameterOverrides.parse(String.valueOf(value));
    }

    /** What CloudFormation would refuse in this value for the template's parameter, or an empty string. */
    private String problemWith(String name, String value) {
        Map<String, Object> definition = SamTemplate.map(SamTemplate.map(template.root().get("Parameters")).get(name));
        if (definition.isEmpty()) {
            return "the template has no parameter " + name;
        }
        String type = String.valueOf(definition.get("Type"));
        List<String> values = type.equals("CommaDelimitedList") ? List.of(value.split(",", -1)) : List.of(value);
        for (String item : values) {
            if (definition.containsKey("AllowedValues") && !SamTemplate.list(definition.get("AllowedValues")).stream()
                    .map(String::valueOf).toList().contains(item)) {
                return "not one of " + definition.get("AllowedValues");
            }
            if (definition.containsKey("AllowedPattern") && !item.matches(String.valueOf(definition.get("AllowedPattern")))) {
                return "does not match " + definition.get("AllowedPattern");
            }
            if (definition.containsKey("MaxLength") && item.length() > ((Number) definition.get("MaxLength")).intValue()) {
                return "longer than " + definition.get("MaxLength");
            }
            if (type.equals("Number")) {
                double number;
                try {
                    number = Double.parseDouble(item);
                } catch (NumberFormatException e) {
                    return "not a number";
                }
                if (definition.containsKey("MinValue") && number < ((Number) definition.get("MinValue")).doubleValue()
                        || definition.containsKey("MaxValue") && number > ((Number) definition.get("MaxValue")).doubleValue()) {
                    return "outside " + definition.get("MinValue") + " … " + definition.get("MaxValue");
                }
            }
        }
        return "";
    }

    private static TomlParseResult samconfig() {
        try {
            TomlParseResult parsed = Toml.parse(ROOT.resolve("samconfig.toml"));
            assertThat(parsed.errors()).isEmpty();
            return parsed;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
