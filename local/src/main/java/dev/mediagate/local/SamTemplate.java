package dev.mediagate.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code template.yaml} as the local stack and the template tests read it: short-form intrinsics ({@code !Ref},
 * {@code !Sub}, …) become their long JSON form, and the few that matter locally resolve with parameter defaults.
 */
final class SamTemplate {

    static final String LOCAL_ACCOUNT_ID = "000000000000";
    static final String LOCAL_REGION = "us-east-1";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, Object> root;
    private final Map<String, String> parameters = new LinkedHashMap<>();

    private SamTemplate(Map<String, Object> root, Map<String, String> overrides) {
        this.root = root;
        // A parameter without a default is empty locally, as an unset deploy-time value (the local stack sets its own).
        map(root.get("Parameters")).forEach((name, definition) -> {
            Object defaultValue = map(definition).get("Default");
            parameters.put(name, defaultValue == null ? "" : String.valueOf(defaultValue));
        });
        parameters.putAll(overrides);
        parameters.put("AWS::AccountId", LOCAL_ACCOUNT_ID);
        parameters.put("AWS::Region", LOCAL_REGION);
        parameters.put("AWS::Partition", "aws");
        parameters.put("AWS::URLSuffix", "amazonaws.com");
        parameters.put("AWS::StackName", "mediagate-local");
    }

    static SamTemplate load(Path file) {
        return load(file, Map.of());
    }

    static SamTemplate load(Path file, Map<String, String> parameterOverrides) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new IntrinsicConstructor()).load(reader);
            return new SamTemplate(root, parameterOverrides);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = map(resources().get(logicalId));
        if (resource.isEmpty()) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return resource;
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    List<String> logicalIdsOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The function's environment as Lambda would see it: Globals first, the function's own variables on top. */
    Map<String, String> environment(String functionId) {
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, Object> globals = map(map(map(root.get("Globals")).get("Function")).get("Environment"));
        map(globals.get("Variables")).forEach((name, value) -> environment.put(name, resolve(value)));
        Map<String, Object> own = map(map(properties(functionId).get("Environment")).get("Variables"));
        own.forEach((name, value) -> environment.put(name, resolve(value)));
        return environment;
    }

    /** Ref, Sub and GetAtt-free values evaluated with parameter defaults and local pseudo parameters. */
    String resolve(Object value) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.size() == 1) {
            Map.Entry<?, ?> entry = intrinsic.entrySet().iterator().next();
            if ("Ref".equals(entry.getKey())) {
                return parameter(String.valueOf(entry.getValue()));
            }
            if ("Fn::Sub".equals(entry.getKey()) && entry.getValue() instanceof String text) {
                Matcher matcher = SUB_VARIABLE.matcher(text);
                StringBuilder out = new StringBuilder();
                while (matcher.find()) {
                    matcher.appendReplacement(out, Matcher.quoteReplacement(parameter(matcher.group(1))));
                }
                matcher.appendTail(out);
                return out.toString();
            }
            throw new IllegalArgumentException("cannot evaluate " + entry.getKey() + " locally");
        }
        return value == null ? null : String.valueOf(value);
    }

    Optional<String> parameterValue(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** A parameter's value; a resource's logical id or {@code Resource.Attribute} stays as written (only AWS knows it). */
    private String parameter(String name) {
        String value = parameters.get(name);
        if (value != null) {
            return value;
        }
        if (resources().containsKey(name.split("\\.", 2)[0])) {
            return name.contains(".") ? "${" + name + "}" : name;
        }
        throw new IllegalArgumentException("template.yaml: ${" + name + "} names no parameter or resource");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        return value == null ? List.of() : List.of(value);
    }

    /** CloudFormation's short-form tags, each turned into the equivalent long form ({@code !Ref X} → {@code {Ref: X}}). */
    private static final class IntrinsicConstructor extends SafeConstructor {

        private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
                "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length");

        IntrinsicConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            FUNCTIONS.forEach(name -> yamlConstructors.put(new Tag("!" + name), new Intrinsic("Fn::" + name)));
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    value = key.equals("Fn::GetAtt") ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        }
    }
}
