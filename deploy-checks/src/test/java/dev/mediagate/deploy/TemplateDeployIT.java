package dev.mediagate.deploy;

import static dev.mediagate.local.sam.SamTemplate.list;
import static dev.mediagate.local.sam.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.deploy.IamPolicy.Decision;
import dev.mediagate.deploy.IamPolicy.Request;
import dev.mediagate.local.sam.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a `sam deploy` of template.yaml does in AWS, evaluated offline: versions, key rotation, policies, domains. */
class TemplateDeployIT {

    private static final Path TEMPLATE = TemplateTest.ROOT.resolve("template.yaml");
    private static final String BUCKET_ARN = "arn:aws:s3:::mediagate-dev-000000000000-us-east-1";
    private static final String API_ROLE = "${MediaApiFunctionRole.Arn}";
    private static final String RESIZER_ROLE = "${ImageResizerFunctionRole.Arn}";
    private static final String OPERATOR = "arn:aws:iam::000000000000:role/operator";
    private static final String CERTIFICATE = "arn:aws:acm:%s:123456789012:certificate/0f2c6a8e-1b3d-4e5f-8a7b-9c0d1e2f3a4b";

    /** A valid other value for parameters whose pattern a generic change would not meet, and what must come along. */
    private static final String WEBHOOK_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mediagate/dev/webhook-AbCdEf";
    private static final Map<String, Map<String, String>> VARIATIONS = Map.ofEntries(
            Map.entry("CdnActiveKeySlot", Map.of("CdnActiveKeySlot", "b", "CdnKeySlots", "a+b")),
            Map.entry("CdnKeySlots", Map.of("CdnKeySlots", "a+b")),
            Map.entry("ApiDomainName", Map.of("ApiDomainName", "api.example.com", "ApiCertificateArn", CERTIFICATE.formatted("us-east-1"))),
            Map.entry("ApiCertificateArn", Map.of("ApiDomainName", "api.example.com", "ApiCertificateArn", CERTIFICATE.formatted("us-east-1"))),
            Map.entry("CdnDomainName", Map.of("CdnDomainName", "media.example.com", "CdnCertificateArn", CERTIFICATE.formatted("us-east-1"))),
            Map.entry("CdnCertificateArn", Map.of("CdnDomainName", "media.example.com", "CdnCertificateArn", CERTIFICATE.formatted("us-east-1"))),
            Map.entry("CdnCookieDomain", Map.of("CdnCookieDomain", ".example.com")),
            Map.entry("KmsKeyArn", Map.of("KmsKeyArn", "arn:aws:kms:us-east-1:123456789012:key/0f2c6a8e-1b3d-4e5f-8a7b-9c0d1e2f3a4b")),
            Map.entry("AlarmEmail", Map.of("AlarmEmail", "oncall@example.com")),
            Map.entry("AllowedContentTypes", Map.of("AllowedContentTypes", "image/jpeg,image/png")),
            Map.entry("ServiceScope", Map.of("ServiceScope", "media/backend")),
            Map.entry("WebhookUrl", Map.of("WebhookUrl", "https://backend.example.com/hooks/mediagate", "WebhookSecretArn", WEBHOOK_SECRET)),
            Map.entry("WebhookSecretArn", Map.of("WebhookUrl", "https://backend.example.com/hooks/mediagate", "WebhookSecretArn", WEBHOOK_SECRET)));

    @TempDir
    Path work;

    @Test
    void aChangeOfAnyParameterPublishesANewVersionOfEachSnapStartFunctionExactlyWhenItsConfigurationChanges() throws Exception {
        SamTemplate source = SamTemplate.load(TEMPLATE);
        List<String> names = new ArrayList<>(map(source.root().get("Parameters")).keySet());
        List<Map<String, String>> sets = new ArrayList<>(List.of(Map.of()));
        names.forEach(name -> sets.add(variation(source, name)));

        List<JsonNode> translated = SamTranslator.translate(TEMPLATE, sets);
        for (String function : List.of("MediaApiFunction", "ImageResizerFunction")) {
            Deployed before = deployed(translated.get(0), sets.get(0), function);
            int publishing = 0;
            for (int i = 1; i < sets.size(); i++) {
                Deployed after = deployed(translated.get(i), sets.get(i), function);
                boolean configurationChanged = !after.environment().equals(before.environment());
                boolean newVersion = !after.versionId().equals(before.versionId()) || !after.versionDescription().equals(before.versionDescription());
                // A new version without a change would fail the deploy too: Lambda refuses to publish an unchanged function.
                assertThat(newVersion).as("%s, %s: environment %s → %s", function, sets.get(i), before.environment(), after.environment())
                        .isEqualTo(configurationChanged);
                publishing += newVersion ? 1 : 0;
            }
            assertThat(publishing).as("parameters that reach %s's configuration", function).isGreaterThanOrEqualTo(7);
        }
    }

    @Test
    void theApisPublishedVersionIsCreatedOnlyAfterTheBucketItsPrimingReads() throws Exception {
        JsonNode translated = SamTranslator.translate(TEMPLATE, List.of(Map.of())).get(0);
        String version = versionOf(translated, "MediaApiFunction");

        assertThat(dependencies(translated.get("Resources"), version)).as(version + " is created after").contains("MediaBucket");
    }

    @Test
    void theVersionDescriptionsFitLambdasLimitWhateverTheParameters() {
        SamTemplate source = SamTemplate.load(TEMPLATE);
        Map<String, String> longest = new HashMap<>();
        map(source.root().get("Parameters")).forEach((name, definition) -> longest.put(name, longestValue(name, map(definition))));

        for (String function : List.of("MediaApiFunction", "ImageResizerFunction")) {
            String description = SamTemplate.load(TEMPLATE, longest).resolve(source.properties(function).get("VersionDescription"));

            assertThat(description.length()).as(function + ": " + description).isLessThanOrEqualTo(256);
        }
    }

    @Test
    void aNewLayerVersionPublishesANewResizerVersionAndSnapshot() throws Exception {
        JsonNode before = SamTranslator.translate(TEMPLATE, List.of(Map.of())).get(0);
        JsonNode after = SamTranslator.translate(TEMPLATE, List.of(Map.of()), "LibvipsArm64Layer").get(0);

        assertThat(versionOf(after, "ImageResizerFunction")).isNotEqualTo(versionOf(before, "ImageResizerFunction"));
        assertThat(versionOf(after, "MediaApiFunction")).isEqualTo(versionOf(before, "MediaApiFunction"));
    }

    @Test
    void aVersionTheAliasHasLeftIsDeletedSoCodeStorageDoesNotGrowWithEveryDeploy() throws Exception {
        JsonNode translated = SamTranslator.translate(TEMPLATE, List.of(Map.of())).get(0);

        for (String function : List.of("MediaApiFunction", "ImageResizerFunction")) {
            assertThat(translated.at("/Resources/" + versionOf(translated, function) + "/DeletionPolicy").asText()).as(function)
                    .isEqualTo("Delete");
        }
    }

    @Test
    void s3NotifiesTheResizersQueueWhichTheResizersAliasDrainsAndTheQueueSetUpComesFirst() throws Exception {
        JsonNode resources = SamTranslator.translate(TEMPLATE, List.of(Map.of())).get(0).get("Resources");

        JsonNode notification = resources.get("MediaBucket").at("/Properties/NotificationConfiguration");
        List<JsonNode> toResizer = new ArrayList<>();
        notification.path("LambdaConfigurations").forEach(configuration -> {
            if (configuration.at("/Filter/S3Key/Rules/0/Value").asText().equals("originals/")
                    && configuration.path("Event").asText().startsWith("s3:ObjectCreated")) {
                toResizer.add(configuration);
            }
        });
        assertThat(toResizer).as("SAM's Lambda notifications sit beside the queue's, none for new originals").isEmpty();
        // Without malware scanning (the condition's false branch); with it, GuardDuty's verdict reaches the queue instead.
        assertThat(notification.at("/QueueConfigurations/Fn::If/0").asText()).isEqualTo("ScansForMalware");
        assertThat(notification.at("/QueueConfigurations/Fn::If/2/0/Queue/Fn::GetAtt/0").asText()).isEqualTo("ResizerQueue");
        assertThat(resources.get("MediaBucket").path("DependsOn").toString()).contains("ResizerQueuePolicy");
        JsonNode mapping = resources.get("ImageResizerFunctionOriginalCreated");
        assertThat(mapping.path("Type").asText()).isEqualTo("AWS::Lambda::EventSourceMapping");
        assertThat(mapping.at("/Properties/FunctionName/Ref").asText()).isEqualTo("ImageResizerFunctionAliaslive");
        assertThat(mapping.at("/Properties/FunctionResponseTypes/0").asText()).isEqualTo("ReportBatchItemFailures");
        assertThat(mapping.at("/Properties/ScalingConfig").toString()).contains("MaximumConcurrency");
        assertThat(resources.has("ImageResizerFunctionEventInvokeConfig")).as("no asynchronous invocation left to configure").isFalse();
    }

    @Test
    void rotatingTheSigningKeyThroughTheOtherSlotKeepsEveryIssuedUrlTrustedAndNeverUpdatesAKeyInPlace() {
        List<Map<String, String>> procedure = List.of(slots("a", "a"), slots("a+b", "a"), slots("a+b", "b"), slots("b", "b"),
                slots("a+b", "b"), slots("a+b", "a"), slots("a", "a"));

        for (int step = 1; step < procedure.size(); step++) {
            assertThat(rotationProblems(procedure.get(step - 1), procedure.get(step))).as("step %d", step).isEmpty();
        }
        assertThat(rotationProblems(slots("a", "a"), slots("b", "b"))).as("switching slots in one deploy")
                .anyMatch(problem -> problem.contains("no longer trusted"));
        assertThat(SamTemplate.load(TEMPLATE, slots("a", "b")).rule("ActiveKeySlotIsTrusted")).isFalse();
        assertThat(SamTemplate.load(TEMPLATE, slots("b", "b")).rule("ActiveKeySlotIsTrusted")).isTrue();
    }

    @Test
    void theApiReadsEitherSlotsSecretAndNoOther() {
        SamTemplate template = SamTemplate.load(TEMPLATE);
        String secrets = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";

        for (String slot : List.of("a", "b")) {
            assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "secretsmanager:GetSecretValue",
                    secrets + "mediagate/dev/cdn-private-key-" + slot + "-Xy12Zw", Map.of()))).isEqualTo(Decision.ALLOW);
        }
        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "secretsmanager:GetSecretValue",
                secrets + "mediagate/prod/cdn-private-key-a-Xy12Zw", Map.of()))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(SamTemplate.load(TEMPLATE, slots("a+b", "b")).environment("MediaApiFunction"))
                .containsEntry("CDN_PRIVATE_KEY_SECRET_ID", "mediagate/dev/cdn-private-key-b")
                .containsEntry("CDN_KEY_PAIR_ID", "CdnPublicKeyB");
    }

    @Test
    void theBucketPolicyStopsOverwritesOfUploadsAndLetsEveryLegitimateWriteThrough() {
        SamTemplate template = SamTemplate.load(TEMPLATE);
        String original = BUCKET_ARN + "/originals/o/f";
        Map<String, String> tls = Map.of("aws:SecureTransport", "true");
        Map<String, String> creates = with(tls, "s3:ObjectCreationOperation", "true");
        Map<String, String> conditional = with(creates, "s3:if-none-match", "*");
        Map<String, String> multipartStep = with(tls, "s3:ObjectCreationOperation", "false");

        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "s3:PutObject", original, creates)))
                .as("browser PUT without If-None-Match").isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "s3:PutObject", original, conditional)))
                .as("browser PUT with If-None-Match").isEqualTo(Decision.ALLOW);
        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "s3:PutObject", original,
                with(conditional, "aws:SecureTransport", "false")))).as("over plain HTTP").isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "s3:PutObject", original, multipartStep)))
                .as("CreateMultipartUpload and UploadPart, which take no conditional header").isEqualTo(Decision.ALLOW);
        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "s3:PutObject", original, conditional)))
                .as("CompleteMultipartUpload with If-None-Match").isEqualTo(Decision.ALLOW);
        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "s3:PutObject", BUCKET_ARN + "/variants/o/f/thumb.jpg", conditional)))
                .as("the API writes nothing but uploads").isEqualTo(Decision.IMPLICIT_DENY);

        assertThat(decide(template, "ImageResizerFunction", new Request(RESIZER_ROLE, "s3:PutObject", BUCKET_ARN + "/variants/o/f/thumb.jpg", creates)))
                .as("the resizer's variant").isEqualTo(Decision.ALLOW);
        assertThat(decide(template, "ImageResizerFunction", new Request(RESIZER_ROLE, "s3:DeleteObject", BUCKET_ARN + "/variants/o/f/thumb.jpg", tls)))
                .as("the resizer's clean-up of half-written variants").isEqualTo(Decision.ALLOW);
        assertThat(decide(template, "ImageResizerFunction", new Request(RESIZER_ROLE, "s3:PutObjectTagging", original, tls)))
                .as("the resizer's rejection tag").isEqualTo(Decision.ALLOW);
        assertThat(decide(template, "ImageResizerFunction", new Request(RESIZER_ROLE, "s3:PutObject", original, conditional)))
                .as("the resizer never writes an original").isEqualTo(Decision.IMPLICIT_DENY);

        assertThat(IamPolicy.evaluate(List.of(), IamPolicy.bucketPolicy(template, BUCKET_ARN), new Request(OPERATOR, "s3:PutObject",
                BUCKET_ARN + "/originals/imports/IMG_0001.jpg", creates))).as("an operator's CopyObject import is not denied")
                .isNotEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void listingIsLimitedToThePrefixesEachFunctionWorksIn() {
        SamTemplate template = SamTemplate.load(TEMPLATE);
        Map<String, String> tls = Map.of("aws:SecureTransport", "true");

        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "s3:ListBucket", BUCKET_ARN,
                with(tls, "s3:prefix", "variants/o/f/")))).isEqualTo(Decision.ALLOW);
        assertThat(decide(template, "MediaApiFunction", new Request(API_ROLE, "s3:ListBucket", BUCKET_ARN,
                with(tls, "s3:prefix", "")))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(template, "ImageResizerFunction", new Request(RESIZER_ROLE, "s3:ListBucket", BUCKET_ARN,
                with(tls, "s3:prefix", "variants/o/f/manifest.json")))).isEqualTo(Decision.ALLOW);
        assertThat(decide(template, "ImageResizerFunction", new Request(RESIZER_ROLE, "s3:ListBucket", BUCKET_ARN,
                with(tls, "s3:prefix", "originals/")))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(template, "ImageResizerFunction", new Request(RESIZER_ROLE, "s3:ListBucket", BUCKET_ARN, tls)))
                .as("S3's existence check before answering 404 for a missing manifest").isEqualTo(Decision.ALLOW);
    }

    @Test
    void kmsAcceptsKeyArnsOnlyBecauseIamDoesNotMatchAliases() {
        String pattern = String.valueOf(map(map(SamTemplate.load(TEMPLATE).root().get("Parameters")).get("KmsKeyArn")).get("AllowedPattern"));

        assertThat("").matches(pattern);
        assertThat("arn:aws:kms:eu-west-1:123456789012:key/0f2c6a8e-1b3d-4e5f-8a7b-9c0d1e2f3a4b").matches(pattern);
        assertThat("arn:aws:kms:eu-west-1:123456789012:alias/media").doesNotMatch(pattern);
        assertThat("alias/aws/s3").doesNotMatch(pattern);
    }

    @Test
    void alarmsReachTheirTopicBecauseItsKeyLetsCloudWatchEncrypt() {
        SamTemplate template = SamTemplate.load(TEMPLATE, Map.of("AlarmEmail", "oncall@example.com"));

        assertThat(template.exists("AlarmTopic")).isTrue();
        Object key = template.properties("AlarmTopic").get("KmsMasterKeyId");
        assertThat(key).isEqualTo(Map.of("Ref", "AlarmTopicKey"));
        List<Map<String, Object>> keyPolicy = statements(template.evaluate(map(template.properties("AlarmTopicKey").get("KeyPolicy")).get("Statement")));
        String alarm = template.resolve(template.properties("ResizerFailuresAlarm").get("AlarmName"));
        Map<String, String> fromOurAlarm = Map.of("aws:SourceAccount", "000000000000",
                "aws:SourceArn", "arn:aws:cloudwatch:us-east-1:000000000000:alarm:" + alarm);
        for (String action : List.of("kms:GenerateDataKey", "kms:Decrypt")) {
            assertThat(IamPolicy.evaluate(List.of(), keyPolicy, new Request("cloudwatch.amazonaws.com", action, "*", fromOurAlarm)))
                    .as(action).isEqualTo(Decision.ALLOW);
        }
        assertThat(IamPolicy.evaluate(List.of(), keyPolicy, new Request("cloudwatch.amazonaws.com", "kms:Decrypt", "*",
                Map.of("aws:SourceAccount", "000000000000", "aws:SourceArn", "arn:aws:cloudwatch:us-east-1:000000000000:alarm:other"))))
                .as("another stack's alarm").isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void browsersMaySendCredentialsToTheApiSoCdnCookiesAreKept() {
        Map<String, Object> cors = map(SamTemplate.load(TEMPLATE).properties("HttpApi").get("CorsConfiguration"));

        assertThat(cors).containsEntry("AllowCredentials", true);
        assertThat(SamTemplate.load(TEMPLATE).evaluate(cors.get("AllowOrigins"))).asList().doesNotContain("*");
    }

    @Test
    void customDomainsServeTheApiAndTheCdnAndBecomeTheSigningBaseUrl() {
        SamTemplate plain = SamTemplate.load(TEMPLATE);
        SamTemplate custom = SamTemplate.load(TEMPLATE, Map.of("ApiDomainName", "api.example.com",
                "ApiCertificateArn", CERTIFICATE.formatted("us-east-1"), "CdnDomainName", "media.example.com",
                "CdnCertificateArn", CERTIFICATE.formatted("us-east-1"), "CdnCookieDomain", ".example.com"));

        assertThat(plain.exists("ApiDomain")).isFalse();
        assertThat(plain.environment("MediaApiFunction").get("CDN_BASE_URL")).isEqualTo("https://${CdnDistribution.DomainName}");
        assertThat(custom.exists("ApiDomain")).isTrue();
        assertThat(custom.exists("ApiDomainMapping")).isTrue();
        assertThat(custom.environment("MediaApiFunction")).containsEntry("CDN_BASE_URL", "https://media.example.com")
                .containsEntry("CDN_COOKIE_DOMAIN", ".example.com");
        Map<String, Object> distribution = map(custom.evaluate(map(custom.properties("CdnDistribution").get("DistributionConfig"))));
        assertThat(distribution.get("Aliases")).isEqualTo(List.of("media.example.com"));
        assertThat(map(distribution.get("ViewerCertificate"))).containsEntry("SslSupportMethod", "sni-only");
        assertThat(plain.rule("CustomDomainsHaveCertificates")).isTrue();
        assertThat(SamTemplate.load(TEMPLATE, Map.of("CdnDomainName", "media.example.com")).rule("CustomDomainsHaveCertificates")).isFalse();
    }

    @Test
    void aFailedFirstCreateTakesTheBucketWithItSoARetryCanCreateItAgain() {
        assertThat(SamTemplate.load(TEMPLATE).resource("MediaBucket")).containsEntry("DeletionPolicy", "RetainExceptOnCreate");
    }

    @Test
    void cloudFrontNamesAreUniquePerStackBecauseTheyAreGlobalToTheAccount() {
        SamTemplate template = SamTemplate.load(TEMPLATE);
        String stackUuid = SamTemplate.LOCAL_STACK_ID.substring(SamTemplate.LOCAL_STACK_ID.lastIndexOf('/') + 1);
        Map<String, String> names = new LinkedHashMap<>();
        names.put("CdnOriginAccessControl", template.resolve(map(template.properties("CdnOriginAccessControl").get("OriginAccessControlConfig")).get("Name")));
        names.put("CdnPublicKeyA", template.resolve(map(template.properties("CdnPublicKeyA").get("PublicKeyConfig")).get("Name")));
        names.put("CdnKeyGroup", template.resolve(map(template.properties("CdnKeyGroup").get("KeyGroupConfig")).get("Name")));
        names.put("CdnResponseHeadersPolicy", template.resolve(map(template.properties("CdnResponseHeadersPolicy").get("ResponseHeadersPolicyConfig")).get("Name")));

        assertThat(names.values()).allMatch(name -> name.contains(stackUuid)).doesNotHaveDuplicates();
        // OAC names are limited to 64 characters; the other three to 128.
        assertThat(names.get("CdnOriginAccessControl").length()).isLessThanOrEqualTo(64);
    }

    private record Deployed(Map<String, String> environment, String versionId, String versionDescription) {
    }

    /** A function's environment and published version in one translated template, evaluated with its parameters. */
    private Deployed deployed(JsonNode translated, Map<String, String> parameters, String function) throws Exception {
        Path file = Files.createTempFile(work, "translated", ".json");
        new ObjectMapper().writeValue(file.toFile(), translated);
        SamTemplate template = SamTemplate.load(file, parameters);
        String versionId = versionOf(translated, function);
        return new Deployed(template.environment(function), versionId,
                template.resolve(template.properties(versionId).get("Description")));
    }

    /** The logical id of the version SAM publishes for a function. */
    private static String versionOf(JsonNode translated, String function) {
        List<String> versions = new ArrayList<>();
        translated.get("Resources").properties().forEach(resource -> {
            JsonNode properties = resource.getValue().path("Properties");
            if (resource.getValue().path("Type").asText().equals("AWS::Lambda::Version")
                    && properties.path("FunctionName").path("Ref").asText().equals(function)) {
                versions.add(resource.getKey());
            }
        });
        assertThat(versions).as(function + "'s published versions").hasSize(1);
        return versions.get(0);
    }

    /** Every resource CloudFormation creates before this one: its DependsOn and its references, transitively. */
    private static Set<String> dependencies(JsonNode resources, String logicalId) {
        Set<String> found = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(logicalId));
        while (!pending.isEmpty()) {
            JsonNode resource = resources.get(pending.pop());
            List<String> direct = new ArrayList<>();
            resource.path("DependsOn").forEach(name -> direct.add(name.asText()));
            if (resource.path("DependsOn").isTextual()) {
                direct.add(resource.path("DependsOn").asText());
            }
            references(resource.path("Properties"), direct);
            for (String name : direct) {
                if (resources.has(name) && found.add(name)) {
                    pending.push(name);
                }
            }
        }
        return found;
    }

    private static void references(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                switch (field.getKey()) {
                    case "Ref" -> into.add(field.getValue().asText());
                    case "Fn::GetAtt" -> into.add(field.getValue().isArray() ? field.getValue().get(0).asText()
                            : field.getValue().asText().split("\\.")[0]);
                    case "Fn::Sub" -> {
                        JsonNode text = field.getValue().isArray() ? field.getValue().get(0) : field.getValue();
                        Matcher names = Pattern.compile("\\$\\{([A-Za-z0-9]+)").matcher(text.asText());
                        while (names.find()) {
                            into.add(names.group(1));
                        }
                    }
                    default -> {
                    }
                }
                references(field.getValue(), into);
            });
        } else if (node.isArray()) {
            node.forEach(element -> references(element, into));
        }
    }

    /** Another valid value for one parameter (with what must come along), everything else at its default. */
    private static Map<String, String> variation(SamTemplate template, String name) {
        if (VARIATIONS.containsKey(name)) {
            return VARIATIONS.get(name);
        }
        Map<String, Object> definition = map(map(template.root().get("Parameters")).get(name));
        String current = String.valueOf(definition.get("Default"));
        if (definition.containsKey("AllowedValues")) {
            return Map.of(name, list(definition.get("AllowedValues")).stream().map(String::valueOf)
                    .filter(value -> !value.equals(current)).findFirst().orElseThrow());
        }
        if ("Number".equals(definition.get("Type"))) {
            long value = Long.parseLong(current) + 1;
            if (definition.containsKey("MaxValue") && value > ((Number) definition.get("MaxValue")).longValue()) {
                value -= 2;
            }
            return Map.of(name, String.valueOf(value));
        }
        assertThat(definition).as(name + " has a pattern: give TemplateDeployIT a valid other value").doesNotContainKey("AllowedPattern");
        return Map.of(name, current.isEmpty() ? "changed" : current + "-changed");
    }

    private static String longestValue(String name, Map<String, Object> definition) {
        if (name.equals("AllowedContentTypes")) {
            // Any type but the ones mediagate verifies stops both functions at init: the longest list that can serve
            // names each of them once.
            return java.util.Arrays.stream(dev.mediagate.core.files.FileType.values()).map(dev.mediagate.core.files.FileType::mimeType)
                    .collect(java.util.stream.Collectors.joining(","));
        }
        if (definition.containsKey("AllowedValues")) {
            return list(definition.get("AllowedValues")).stream().map(String::valueOf).reduce("", (a, b) -> a.length() >= b.length() ? a : b);
        }
        if ("Number".equals(definition.get("Type"))) {
            return String.valueOf(definition.getOrDefault("MaxValue", Long.MAX_VALUE));
        }
        // Unbounded strings are as long as CloudFormation allows (4 KB): no description could hold them.
        return "x".repeat(((Number) definition.getOrDefault("MaxLength", 4096)).intValue());
    }

    private static Map<String, String> slots(String slots, String active) {
        return Map.of("CdnKeySlots", slots, "CdnActiveKeySlot", active);
    }

    /** What would break if CloudFormation went from one key-slot setting to the next. */
    private static List<String> rotationProblems(Map<String, String> from, Map<String, String> to) {
        SamTemplate before = SamTemplate.load(TEMPLATE, from);
        SamTemplate after = SamTemplate.load(TEMPLATE, to);
        List<String> problems = new ArrayList<>();
        for (SamTemplate state : List.of(before, after)) {
            if (!state.rule("ActiveKeySlotIsTrusted")) {
                problems.add(from + " → " + to + ": CloudFormation refuses the parameters");
            }
        }
        String signedBefore = before.environment("MediaApiFunction").get("CDN_KEY_PAIR_ID");
        String signedAfter = after.environment("MediaApiFunction").get("CDN_KEY_PAIR_ID");
        List<Object> trustedAfter = list(map(after.evaluate(after.properties("CdnKeyGroup").get("KeyGroupConfig"))).get("Items"));
        if (!trustedAfter.contains(signedBefore)) {
            problems.add(signedBefore + " signed URLs that are still valid, and is no longer trusted after the deploy");
        }
        if (!trustedAfter.contains(signedAfter) || !after.exists(signedAfter)) {
            problems.add("the API signs with " + signedAfter + ", which the distribution does not trust");
        }
        for (String key : Set.of("CdnPublicKeyA", "CdnPublicKeyB")) {
            if (before.exists(key) && after.exists(key)
                    && !before.evaluate(before.properties(key)).equals(after.evaluate(after.properties(key)))) {
                problems.add(key + " would be updated in place, which CloudFront refuses");
            }
        }
        return problems;
    }

    private static Decision decide(SamTemplate template, String function, Request request) {
        return IamPolicy.evaluate(IamPolicy.functionPolicy(template, function), IamPolicy.bucketPolicy(template, BUCKET_ARN), request);
    }

    private static List<Map<String, Object>> statements(Object evaluated) {
        return list(evaluated).stream().map(SamTemplate::map).toList();
    }

    private static Map<String, String> with(Map<String, String> context, String key, String value) {
        Map<String, String> copy = new HashMap<>(context);
        copy.put(key, value);
        return copy;
    }
}
