package dev.mediagate.deploy;

import static dev.mediagate.local.sam.SamTemplate.list;
import static dev.mediagate.local.sam.SamTemplate.map;

import dev.mediagate.local.sam.SamTemplate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM's evaluation of one request against an identity policy and a resource (bucket) policy, for the statement shapes
 * this template uses: an explicit Deny anywhere wins, then an Allow in either policy allows, else the request is
 * implicitly denied. Conditions: StringEquals, StringLike, ArnEquals, ArnLike, Bool, their IfExists and negated
 * (…NotEquals, …NotLike) forms and Null; a
 * condition key the request lacks fails every other operator, as in IAM.
 */
final class IamPolicy {

    enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** A request as IAM sees it: who, which action on which ARN, and the request's condition keys. */
    record Request(String principalArn, String action, String resource, Map<String, String> context) {
    }

    private IamPolicy() {
    }

    static Decision evaluate(List<Map<String, Object>> identityStatements, List<Map<String, Object>> resourceStatements, Request given) {
        Map<String, String> context = new java.util.HashMap<>(given.context());
        context.put("aws:PrincipalArn", given.principalArn());
        Request request = new Request(given.principalArn(), given.action(), given.resource(), context);
        boolean allowed = false;
        for (Map<String, Object> statement : identityStatements) {
            if (applies(statement, request)) {
                if ("Deny".equals(statement.get("Effect"))) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        for (Map<String, Object> statement : resourceStatements) {
            if (principalMatches(statement.get("Principal"), request.principalArn()) && applies(statement, request)) {
                if ("Deny".equals(statement.get("Effect"))) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /** A function's inline policy statements in template.yaml, evaluated. */
    static List<Map<String, Object>> functionPolicy(SamTemplate template, String function) {
        List<Map<String, Object>> statements = new java.util.ArrayList<>();
        for (Object policy : list(template.properties(function).get("Policies"))) {
            list(template.evaluate(map(policy).get("Statement"))).forEach(statement -> statements.add(map(statement)));
        }
        return statements;
    }

    /** The media bucket's policy, evaluated, with the bucket's ARN in place of its GetAtt. */
    static List<Map<String, Object>> bucketPolicy(SamTemplate template, String bucketArn) {
        Object statements = template.evaluate(map(template.properties("MediaBucketPolicy").get("PolicyDocument")).get("Statement"));
        return list(replaceText(statements, "${MediaBucket.Arn}", bucketArn)).stream().map(SamTemplate::map).toList();
    }

    private static Object replaceText(Object value, String placeholder, String text) {
        if (value instanceof String string) {
            return string.replace(placeholder, text);
        }
        if (value instanceof Map<?, ?> object) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            object.forEach((key, item) -> out.put(String.valueOf(key), replaceText(item, placeholder, text)));
            return out;
        }
        if (value instanceof List<?> items) {
            return items.stream().map(item -> replaceText(item, placeholder, text)).toList();
        }
        return value;
    }

    private static boolean applies(Map<String, Object> statement, Request request) {
        return list(statement.get("Action")).stream().anyMatch(action -> wildcard(String.valueOf(action), request.action(), true))
                && list(statement.get("Resource")).stream().anyMatch(resource -> wildcard(String.valueOf(resource), request.resource(), false))
                && map(statement.get("Condition")).entrySet().stream().allMatch(operator ->
                        map(operator.getValue()).entrySet().stream().allMatch(key ->
                                condition(operator.getKey(), request.context().get(key.getKey()), list(key.getValue()))));
    }

    private static boolean condition(String operator, String actual, List<Object> expected) {
        if (operator.equals("Null")) {
            return Boolean.parseBoolean(String.valueOf(expected.get(0))) == (actual == null);
        }
        if (operator.matches("(String|Arn)Not(Equals|Like)")) {
            // IAM: a negated operator matches when the key is absent or equals none of the values.
            return actual == null || !condition(operator.replace("Not", ""), actual, expected);
        }
        if (operator.endsWith("IfExists")) {
            return actual == null || condition(operator.substring(0, operator.length() - "IfExists".length()), actual, expected);
        }
        if (actual == null) {
            return false;
        }
        return expected.stream().map(String::valueOf).anyMatch(value -> switch (operator) {
            case "StringEquals", "ArnEquals" -> value.equals(actual);
            case "StringLike", "ArnLike" -> wildcard(value, actual, false);
            case "Bool" -> value.equalsIgnoreCase(actual);
            default -> throw new IllegalArgumentException("condition operator " + operator + " is not modelled");
        });
    }

    private static boolean principalMatches(Object principal, String principalArn) {
        if ("*".equals(principal)) {
            return true;
        }
        return map(principal).values().stream().flatMap(value -> list(value).stream()).map(String::valueOf)
                .anyMatch(principalArn::equals);
    }

    /** Whether a policy's resource pattern covers this ARN. */
    static boolean matches(String resourcePattern, String arn) {
        return wildcard(resourcePattern, arn, false);
    }

    /** IAM's {@code *} and {@code ?} wildcards; actions compare case-insensitively. */
    private static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }
}
