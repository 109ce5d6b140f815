package dev.mediagate.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SAM CLI's parsing of {@code parameter_overrides} / {@code --parameter-overrides} ({@code CfnParameterOverridesType} in
 * aws-sam-cli's {@code samcli/cli/types.py}): each string is matched against {@code ParameterKey=K,ParameterValue=V}
 * pairs, else against space-separated {@code K=V} pairs, values optionally quoted; text between matches is silently
 * dropped, which is how an unquoted PEM loses everything after its first space. This port reports dropped text instead.
 */
final class SamCliParameterOverrides {

    private static final String KEY = "([A-Za-z0-9\"']+)";
    private static final String VALUE = "(\"(?:\\\\.|[^\"\\\\]+)*\"|'(?:\\\\.|[^'\\\\]+)*'|(?:\\\\.|[^ \"\\\\]+)+)";
    private static final List<Pattern> ORDERED_PATTERNS = List.of(
            Pattern.compile("(?:ParameterKey=" + KEY + ",ParameterValue=" + VALUE + ")"),
            Pattern.compile("(?:(?: )" + KEY + "=" + VALUE + ")"));

    private SamCliParameterOverrides() {
    }

    /** The parameters SAM CLI passes to CloudFormation for these override strings (a TOML array gives several). */
    static Map<String, String> parse(List<String> overrides) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String override : overrides) {
            parameters.putAll(parse(override));
        }
        return parameters;
    }

    static Map<String, String> parse(String override) {
        String normalized = " " + override.strip();
        for (Pattern pattern : ORDERED_PATTERNS) {
            Matcher matcher = pattern.matcher(normalized);
            Map<String, String> parameters = new LinkedHashMap<>();
            StringBuilder dropped = new StringBuilder();
            int end = 0;
            while (matcher.find()) {
                dropped.append(normalized, end, matcher.start());
                parameters.put(unquote(matcher.group(1)), unquote(matcher.group(2)));
                end = matcher.end();
            }
            if (!parameters.isEmpty()) {
                dropped.append(normalized.substring(end));
                if (!dropped.toString().isBlank()) {
                    throw new IllegalArgumentException("SAM CLI silently drops '" + dropped.toString().strip() + "' from: " + override);
                }
                return parameters;
            }
        }
        throw new IllegalArgumentException("SAM CLI refuses this parameter_overrides value: " + override);
    }

    /** SAM CLI's {@code _unquote_wrapped_quotes}: wrapping quotes go, escaped spaces and quotes are unescaped. */
    private static String unquote(String value) {
        String unwrapped = value;
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(0) == value.charAt(value.length() - 1)) {
            unwrapped = value.substring(1, value.length() - 1);
        }
        return unwrapped.replace("\\ ", " ").replace("\\\"", "\"").replace("\\'", "'");
    }
}
