package dev.mediagate.local.sam;

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
 * {@code !Sub}, …) become their long JSON form, and values evaluate as CloudFormation would with the given parameters
 * (conditions, {@code Fn::If}, {@code Fn::Sub}, {@code Fn::Select}/{@code Fn::Split}, {@code AWS::NoValue}). Only
 * AWS knows resources' ids and attributes: those stay as written ({@code Name} or {@code ${Name.Attribute}}).
 */
public final class SamTemplate {

    public static final String LOCAL_ACCOUNT_ID = "000000000000";
    public static final String LOCAL_REGION = "us-east-1";
    public static final String LOCAL_STACK_ID = "arn:aws:cloudformation:us-east-1:000000000000:stack/mediagate-local/"
            + "0f2c6a8e-1b3d-4e5f-8a7b-9c0d1e2f3a4b";
    /** What {@code AWS::NoValue} evaluates to: the property or list item is dropped. */
    static final Object NO_VALUE = new Object();
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
        parameters.put("AWS::StackId", LOCAL_STACK_ID);
    }

    public static SamTemplate load(Path file) {
        return load(file, Map.of());
    }

    public static SamTemplate load(Path file, Map<String, String> parameterOverrides) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new IntrinsicConstructor()).load(reader);
            return new SamTemplate(root, parameterOverrides);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Map<String, Object> root() {
        return root;
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = map(resources().get(logicalId));
        if (resource.isEmpty()) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return resource;
    }

    public Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    public List<String> logicalIdsOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Whether the resource is created with these parameters (it has no {@code Condition}, or its condition holds). */
    public boolean exists(String logicalId) {
        Object condition = resource(logicalId).get("Condition");
        return condition == null || condition(String.valueOf(condition));
    }

    /** A named condition of the template, evaluated with these parameters. */
    boolean condition(String name) {
        Object definition = map(root.get("Conditions")).get(name);
        if (definition == null) {
            throw new IllegalArgumentException("template.yaml has no condition " + name);
        }
        return truth(definition);
    }

    /** Whether every assertion of a {@code Rules} entry holds, as CloudFormation checks before it changes anything. */
    public boolean rule(String name) {
        Map<String, Object> rule = map(map(root.get("Rules")).get(name));
        if (rule.isEmpty()) {
            throw new IllegalArgumentException("template.yaml has no rule " + name);
        }
        // A rule whose RuleCondition is false asserts nothing.
        if (rule.containsKey("RuleCondition") && !truth(rule.get("RuleCondition"))) {
            return true;
        }
        return list(rule.get("Assertions")).stream().allMatch(assertion -> truth(map(assertion).get("Assert")));
    }

    /** The function's environment as Lambda would see it: Globals first, the function's own variables on top. */
    public Map<String, String> environment(String functionId) {
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, Object> globals = map(map(map(root.get("Globals")).get("Function")).get("Environment"));
        Map<String, Object> own = map(map(properties(functionId).get("Environment")).get("Variables"));
        for (Map<String, Object> variables : List.of(map(globals.get("Variables")), own)) {
            variables.forEach((name, value) -> {
                Object evaluated = evaluate(value);
                if (evaluated != NO_VALUE) {
                    environment.put(name, String.valueOf(evaluated));
                }
            });
        }
        return environment;
    }

    /** A value evaluated to a string ({@code null} stays {@code null}). */
    public String resolve(Object value) {
        Object evaluated = evaluate(value);
        return evaluated == null ? null : String.valueOf(evaluated);
    }

    /** A value with every intrinsic evaluated; maps and lists lose the entries that evaluate to {@code AWS::NoValue}. */
    public Object evaluate(Object value) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.size() == 1
                && intrinsic.keySet().iterator().next() instanceof String key && (key.equals("Ref") || key.startsWith("Fn::"))) {
            return intrinsic(key, intrinsic.get(key));
        }
        if (value instanceof Map<?, ?> object) {
            Map<String, Object> out = new LinkedHashMap<>();
            object.forEach((name, item) -> {
                Object evaluated = evaluate(item);
                if (evaluated != NO_VALUE) {
                    out.put(String.valueOf(name), evaluated);
                }
            });
            return out;
        }
        if (value instanceof List<?> items) {
            List<Object> out = new ArrayList<>();
            for (Object item : items) {
                Object evaluated = evaluate(item);
                if (evaluated != NO_VALUE) {
                    out.add(evaluated);
                }
            }
            return out;
        }
        return value;
    }

    private Object intrinsic(String function, Object argument) {
        return switch (function) {
            case "Ref" -> "AWS::NoValue".equals(argument) ? NO_VALUE : listParameter(String.valueOf(argument))
                    .<Object>map(values -> values).orElseGet(() -> parameter(String.valueOf(argument)));
            case "Fn::GetAtt" -> "${" + String.join(".", list(argument).stream().map(String::valueOf).toList()) + "}";
            case "Fn::If" -> {
                List<Object> branches = list(argument);
                yield evaluate(condition(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
            }
            case "Fn::Sub" -> argument instanceof List<?> withVariables
                    ? substitute(String.valueOf(withVariables.get(0)), map(evaluate(withVariables.get(1))))
                    : substitute(String.valueOf(argument), Map.of());
            case "Fn::Select" -> {
                List<Object> arguments = list(argument);
                yield list(evaluate(arguments.get(1))).get(Integer.parseInt(resolve(arguments.get(0))));
            }
            case "Fn::Split" -> {
                List<Object> arguments = list(argument);
                yield List.of(resolve(arguments.get(1)).split(Pattern.quote(String.valueOf(arguments.get(0))), -1));
            }
            case "Fn::Join" -> {
                List<Object> arguments = list(argument);
                yield String.join(String.valueOf(arguments.get(0)), list(evaluate(arguments.get(1))).stream().map(String::valueOf).toList());
            }
            default -> throw new IllegalArgumentException("cannot evaluate " + function + " locally");
        };
    }

    private boolean truth(Object definition) {
        Map<String, Object> function = map(definition);
        if (function.size() != 1) {
            throw new IllegalArgumentException("not a condition function: " + definition);
        }
        String name = function.keySet().iterator().next();
        List<Object> arguments = list(function.get(name));
        return switch (name) {
            case "Condition" -> condition(String.valueOf(function.get(name)));
            case "Fn::Equals" -> String.valueOf(evaluate(arguments.get(0))).equals(String.valueOf(evaluate(arguments.get(1))));
            case "Fn::Not" -> !truth(arguments.get(0));
            case "Fn::And" -> arguments.stream().allMatch(this::truth);
            case "Fn::Or" -> arguments.stream().anyMatch(this::truth);
            // A rule function: whether the string matches one value of the list (a CommaDelimitedList's Ref).
            case "Fn::Contains" -> list(evaluate(arguments.get(0))).stream().map(String::valueOf).toList()
                    .contains(String.valueOf(evaluate(arguments.get(1))));
            default -> throw new IllegalArgumentException("cannot evaluate condition function " + name);
        };
    }

    private String substitute(String text, Map<String, Object> variables) {
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            Object value = variables.containsKey(name) ? variables.get(name) : parameter(name);
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    public Optional<String> parameterValue(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** A {@code CommaDelimitedList} parameter's values, as {@code Ref} gives them. */
    private Optional<List<String>> listParameter(String name) {
        Map<String, Object> definition = map(map(root.get("Parameters")).get(name));
        return "CommaDelimitedList".equals(definition.get("Type"))
                ? Optional.of(List.of(parameters.get(name).split(",", -1))) : Optional.empty();
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
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        return value == null ? List.of() : List.of(value);
    }

    /** CloudFormation's short-form tags, each turned into the equivalent long form ({@code !Ref X} → {@code {Ref: X}}). */
    private static final class IntrinsicConstructor extends SafeConstructor {

        private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
                "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length",
                "Contains");

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
