package dev.mediagate.local.s3;

import dev.mediagate.local.sam.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One S3 event notification of {@code template.yaml}: which bucket, which event names, which key prefix/suffix, and
 * where it goes: a function (a function's {@code S3} event, Lambda's async invoke) or a queue (the bucket's
 * {@code QueueConfigurations}, named by its logical id).
 */
public record NotificationRule(String functionId, String bucket, List<String> events, String prefix, String suffix, String queueId) {

    public NotificationRule(String functionId, String bucket, List<String> events, String prefix, String suffix) {
        this(functionId, bucket, events, prefix, suffix, null);
    }

    public boolean toQueue() {
        return queueId != null;
    }

    public static List<NotificationRule> from(SamTemplate template) {
        List<NotificationRule> rules = new ArrayList<>();
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            if (!template.exists(function)) {
                continue;
            }
            for (Object value : SamTemplate.map(template.properties(function).get("Events")).values()) {
                Map<String, Object> event = SamTemplate.map(value);
                if (!"S3".equals(event.get("Type"))) {
                    continue;
                }
                Map<String, Object> properties = SamTemplate.map(event.get("Properties"));
                String bucketId = String.valueOf(SamTemplate.map(properties.get("Bucket")).get("Ref"));
                String bucket = template.resolve(template.properties(bucketId).get("BucketName"));
                String prefix = "";
                String suffix = "";
                Object rulesValue = SamTemplate.map(SamTemplate.map(properties.get("Filter")).get("S3Key")).get("Rules");
                for (Object ruleValue : SamTemplate.list(rulesValue)) {
                    Map<String, Object> rule = SamTemplate.map(ruleValue);
                    String name = String.valueOf(rule.get("Name")).toLowerCase(java.util.Locale.ROOT);
                    if (name.equals("prefix")) {
                        prefix = template.resolve(rule.get("Value"));
                    } else if (name.equals("suffix")) {
                        suffix = template.resolve(rule.get("Value"));
                    }
                }
                List<String> events = SamTemplate.list(properties.get("Events")).stream().map(String::valueOf).toList();
                rules.add(new NotificationRule(function, bucket, events, prefix, suffix));
            }
        }
        for (String bucketId : template.logicalIdsOfType("AWS::S3::Bucket")) {
            Map<String, Object> bucketProperties = template.properties(bucketId);
            String bucket = template.resolve(bucketProperties.get("BucketName"));
            // Evaluated: the queue's notification exists under a condition (none when malware scanning starts the resizer).
            Object notifications = template.evaluate(bucketProperties.get("NotificationConfiguration"));
            for (Object value : SamTemplate.list(SamTemplate.map(notifications).get("QueueConfigurations"))) {
                Map<String, Object> configuration = SamTemplate.map(value);
                String prefix = "";
                String suffix = "";
                for (Object ruleValue : SamTemplate.list(SamTemplate.map(SamTemplate.map(configuration.get("Filter")).get("S3Key")).get("Rules"))) {
                    Map<String, Object> rule = SamTemplate.map(ruleValue);
                    String name = String.valueOf(rule.get("Name")).toLowerCase(java.util.Locale.ROOT);
                    if (name.equals("prefix")) {
                        prefix = template.resolve(rule.get("Value"));
                    } else if (name.equals("suffix")) {
                        suffix = template.resolve(rule.get("Value"));
                    }
                }
                String queueId = queueId(template.resolve(configuration.get("Queue")));
                rules.add(new NotificationRule(null, bucket, List.of(template.resolve(configuration.get("Event"))), prefix, suffix, queueId));
            }
        }
        return rules;
    }

    /** {@code !GetAtt Queue.Arn}, as the local template resolves it ({@code ${Queue.Arn}}), to the queue's logical id. */
    static String queueId(String arn) {
        if (arn == null || !arn.startsWith("${") || !arn.endsWith(".Arn}")) {
            throw new IllegalArgumentException("a queue notification names no queue of the template: " + arn);
        }
        return arn.substring(2, arn.length() - ".Arn}".length());
    }

    /** {@code eventName} as S3 puts it in a record, e.g. {@code ObjectCreated:Put}. */
    boolean matches(String bucketName, String key, String eventName) {
        if (!bucket.equals(bucketName) || !key.startsWith(prefix) || !key.endsWith(suffix)) {
            return false;
        }
        String full = "s3:" + eventName;
        return events.stream().anyMatch(pattern -> pattern.endsWith(":*")
                ? full.startsWith(pattern.substring(0, pattern.length() - 1)) : full.equals(pattern));
    }
}
