package dev.mediagate.deploy;

import static dev.mediagate.local.sam.SamTemplate.list;
import static dev.mediagate.local.sam.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.local.apigateway.HttpRoute;
import dev.mediagate.local.events.LocalEventRouter;
import dev.mediagate.local.cdn.CdnOriginReads;
import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.repair.RepairSweepHandler;
import dev.mediagate.resizer.ImageResizerHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template's security rules, checked offline on the parsed YAML. */
class TemplateTest {

    static final Path ROOT = Path.of(System.getProperty("mediagate.root", "..")).toAbsolutePath().normalize();
    private final SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));

    @Test
    void theApiFunctionPutsBytesOnlyUnderOriginalsAndReachesPublicOnlyByCopyingItsOwnVariants() {
        List<Map<String, Object>> s3Statements = s3Statements("MediaApiFunction");

        assertThat(s3Statements).isNotEmpty();
        for (Map<String, Object> statement : s3Statements) {
            List<Object> actions = list(statement.get("Action"));
            for (Object resource : list(statement.get("Resource"))) {
                String arn = template.resolve(resource);
                if (actions.contains("s3:PutObject")) {
                    assertThat(arn).as("PutObject resource").matches(".*/(originals/\\*|variants/\\*/manifest\\.json|shares/\\*|uploads/\\*|public/\\*|deletions/\\*)");
                }
                if (actions.contains("s3:PutObject") && arn.endsWith("/public/*")) {
                    assertThat(template.resolve(map(map(statement.get("Condition")).get("StringLike")).get("s3:x-amz-copy-source")))
                            .as("public/ is written only by copying variants/")
                            .isEqualTo(template.resolve(template.properties("MediaBucket").get("BucketName")) + "/variants/*");
                }
                if (actions.contains("s3:GetObject")) {
                    assertThat(arn).as("only the CDN reads public/").doesNotContain("/public/");
                }
            }
        }
        assertThat(s3Statements).flatExtracting(s -> list(s.get("Action")))
                .filteredOn(action -> String.valueOf(action).startsWith("s3:Put"))
                .containsOnly("s3:PutObject");
    }

    @Test
    void theResizerCanOnlyWriteUnderVariantsAndPublicAndOnlyReadOriginalsVariantsPublicCopiesAndDeletionMarkers() {
        for (Map<String, Object> statement : s3Statements("ImageResizerFunction")) {
            List<Object> actions = list(statement.get("Action"));
            for (Object resource : list(statement.get("Resource"))) {
                String arn = template.resolve(resource);
                if (actions.stream().anyMatch(a -> String.valueOf(a).matches("s3:(PutObject|PutObjectAcl|Delete.*)"))) {
                    assertThat(arn).as("write resource").matches(".*/(variants|public)/\\*");
                }
                if (actions.contains("s3:GetObject")) {
                    // public/: a reprocessing copies a public file's previous variants onto themselves to supersede them.
                    assertThat(arn).matches(".*/(originals/\\*|variants/\\*|public/\\*|deletions/\\*)");
                }
            }
        }
    }

    @Test
    void batchOperationsRunsAsARoleThatOnlyInvokesReprocessAndReadsAndReportsInTheInventoryBucket() {
        Map<String, Object> role = template.properties("BatchOperationsRole");
        Map<String, Object> trust = map(list(map(role.get("AssumeRolePolicyDocument")).get("Statement")).get(0));
        assertThat(template.resolve(map(trust.get("Principal")).get("Service"))).isEqualTo("batchoperations.s3.amazonaws.com");
        assertThat(map(map(trust.get("Condition")).get("StringEquals"))).containsKey("aws:SourceAccount");
        List<String> grants = new ArrayList<>();
        for (Object policy : list(role.get("Policies"))) {
            for (Object statement : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                for (Object action : list(map(statement).get("Action"))) {
                    for (Object resource : list(map(statement).get("Resource"))) {
                        grants.add(action + " " + template.resolve(resource));
                    }
                }
            }
        }
        assertThat(grants).containsExactlyInAnyOrder(
                "lambda:InvokeFunction ${ReprocessFunction.Arn}", "lambda:InvokeFunction ${ReprocessFunction.Arn}:*",
                "s3:GetObject ${InventoryBucket.Arn}/*", "s3:GetObjectVersion ${InventoryBucket.Arn}/*",
                "s3:PutObject ${InventoryBucket.Arn}/batch-reports/*");
        assertThat(template.resolve(template.properties("ReprocessFunction").get("Role"))).isEqualTo("${ImageResizerFunctionRole.Arn}");
        assertThat(map(template.root().get("Outputs"))).containsKeys("BatchOperationsRoleArn", "ReprocessFunctionArn",
                "InventoryBucketName");
    }

    @Test
    void theRepairSweepReadsOnlyInventoryReportsManifestsAndOriginalsAndSendsOnlyToTheResizersQueue() {
        List<String> grants = new ArrayList<>();
        Map<String, Object> conditions = new LinkedHashMap<>();
        for (Map<String, Object> statement : IamPolicy.functionPolicy(template, "RepairSweepFunction")) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            for (Object action : list(statement.get("Action"))) {
                for (Object resource : list(statement.get("Resource"))) {
                    grants.add(action + " " + template.resolve(resource));
                    if (statement.containsKey("Condition")) {
                        conditions.put(action + " " + template.resolve(resource), statement.get("Condition"));
                    }
                }
            }
        }
        String media = "arn:aws:s3:::" + template.resolve(template.properties("MediaBucket").get("BucketName"));
        assertThat(grants).containsExactlyInAnyOrder(
                "s3:GetObject ${InventoryBucket.Arn}/inventory/*",
                "s3:GetObject ${InventoryBucket.Arn}/repair/*", "s3:PutObject ${InventoryBucket.Arn}/repair/*",
                "s3:ListBucket ${InventoryBucket.Arn}",
                "s3:GetObject " + media + "/variants/*", "s3:GetObject " + media + "/originals/*",
                "s3:ListBucket " + media,
                "sqs:SendMessage ${ResizerQueue.Arn}");
        // The inventory bucket is listed under inventory/ only; the media bucket never (S3's existence check has no prefix).
        assertThat(conditions).containsOnlyKeys("s3:ListBucket ${InventoryBucket.Arn}", "s3:ListBucket " + media);
        assertThat(conditions.get("s3:ListBucket ${InventoryBucket.Arn}"))
                .isEqualTo(Map.of("StringLikeIfExists", Map.of("s3:prefix", List.of("inventory/*"))));
        assertThat(conditions.get("s3:ListBucket " + media)).isEqualTo(Map.of("Null", Map.of("s3:prefix", "true")));
    }

    /** Each request RepairSweepFunction's code makes (S3SweepStore, SqsRepairQueue) is allowed; its neighbours are not. */
    @Test
    void theRepairSweepMayMakeTheCallsItsCodeMakesAndNoOther() {
        String media = "arn:aws:s3:::" + template.resolve(template.properties("MediaBucket").get("BucketName"));
        String inventory = "${InventoryBucket.Arn}";
        String reports = template.environment("RepairSweepFunction").get("INVENTORY_REPORTS_PREFIX");
        String role = "${RepairSweepFunctionRole.Arn}";
        Map<String, String> tls = Map.of("aws:SecureTransport", "true");
        Map<String, String> listReports = Map.of("aws:SecureTransport", "true", "s3:prefix", reports);
        java.util.function.BiFunction<String, String, IamPolicy.Decision> decide = (action, resource) -> IamPolicy.evaluate(
                IamPolicy.functionPolicy(template, "RepairSweepFunction"), IamPolicy.bucketPolicy(template, media),
                new IamPolicy.Request(role, action, resource, tls));
        assertThat(IamPolicy.evaluate(IamPolicy.functionPolicy(template, "RepairSweepFunction"), List.of(),
                new IamPolicy.Request(role, "s3:ListBucket", inventory, listReports))).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:ListBucket", inventory)).as("a cursor not written yet answers 404").isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:GetObject", inventory + "/" + reports + "2026-12-02T01-00Z/manifest.json")).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:GetObject", inventory + "/" + reports + "data/0b7d.csv.gz")).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:GetObject", inventory + "/repair/cursor.json")).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:PutObject", inventory + "/repair/cursor.json")).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:GetObject", media + "/variants/o/f/manifest.json")).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:GetObject", media + "/originals/o/f")).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:ListBucket", media)).as("a missing manifest answers 404").isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("sqs:SendMessage", "${ResizerQueue.Arn}")).isEqualTo(IamPolicy.Decision.ALLOW);

        assertThat(IamPolicy.evaluate(IamPolicy.functionPolicy(template, "RepairSweepFunction"), IamPolicy.bucketPolicy(template, media),
                new IamPolicy.Request(role, "s3:ListBucket", media, Map.of("aws:SecureTransport", "true", "s3:prefix", "originals/"))))
                .as("the media bucket is never listed").isNotEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:PutObject", inventory + "/" + reports + "2026-12-02T01-00Z/manifest.json")).isNotEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:GetObject", inventory + "/batch-reports/job.csv")).isNotEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:GetObject", media + "/public/o/f/thumb.jpg")).isNotEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:GetObject", media + "/shares/tokens/x.json")).isNotEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("s3:PutObject", media + "/variants/o/f/manifest.json")).isNotEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(decide.apply("sqs:SendMessage", "${ResizerFailureQueue.Arn}")).isNotEqualTo(IamPolicy.Decision.ALLOW);
    }

    @Test
    void theRepairSweepRunsOnAScheduleReadsTheInventoryOfOriginalsAndHasTheContractsReconcileDelay() {
        Map<String, Object> events = map(template.properties("RepairSweepFunction").get("Events"));
        assertThat(events.values()).singleElement().satisfies(event -> {
            assertThat(map(event).get("Type")).isEqualTo("Schedule");
            assertThat(template.resolve(map(map(event).get("Properties")).get("Schedule"))).isEqualTo("rate(1 hour)");
        });
        Map<String, String> environment = template.environment("RepairSweepFunction");
        // S3 Inventory writes under {Destination Prefix}/{source bucket}/{Id}/: the sweep's prefix is that of the
        // configuration that lists originals/ with their last-modified dates, in CSV.
        Map<String, Object> inventory = list(template.evaluate(template.properties("MediaBucket").get("InventoryConfigurations")))
                .stream().map(c -> map(c)).filter(c -> "originals/".equals(c.get("Prefix"))).findFirst().orElseThrow();
        Map<String, Object> destination = map(inventory.get("Destination"));
        assertThat(destination.get("Format")).isEqualTo("CSV");
        assertThat(destination.get("BucketArn")).isEqualTo("${InventoryBucket.Arn}");
        assertThat(list(inventory.get("OptionalFields"))).contains("LastModifiedDate");
        assertThat(environment).containsEntry("INVENTORY_REPORTS_PREFIX", destination.get("Prefix") + "/"
                + template.resolve(template.properties("MediaBucket").get("BucketName")) + "/" + inventory.get("Id") + "/");
        assertThat(template.properties("RepairSweepFunction").get("Environment").toString())
                .contains("INVENTORY_BUCKET={Ref=InventoryBucket}").contains("RESIZER_QUEUE_URL={Ref=ResizerQueue}")
                .contains("RECONCILE_AFTER_MINUTES={Ref=ReconcileAfterMinutes}");
        Map<String, Object> parameter = map(map(template.root().get("Parameters")).get("ReconcileAfterMinutes"));
        assertThat(((Number) parameter.get("Default")).longValue()).as("the contract's default").isEqualTo(60);
        assertThat(((Number) parameter.get("MinValue")).longValue()).isEqualTo(RepairSweepHandler.MIN_RECONCILE_AFTER_MINUTES);
        assertThat(((Number) parameter.get("MaxValue")).longValue()).isEqualTo(RepairSweepHandler.MAX_RECONCILE_AFTER_MINUTES);
    }

    @Test
    void onlyThePresigningApiRoleMayPutObjectsUnderOriginals() {
        Map<String, List<String>> allowedOnOriginals = Map.of(
                "MediaApiFunction", List.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:ListMultipartUploadParts",
                        "s3:AbortMultipartUpload"),
                "ImageResizerFunction", List.of("s3:GetObject", "s3:GetObjectTagging", "s3:PutObjectTagging"),
                "EventPublisherFunction", List.of("s3:GetObject"),
                // HEADs of originals whose manifest is missing.
                "RepairSweepFunction", List.of("s3:GetObject"));
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            for (Map<String, Object> statement : s3Statements(function)) {
                boolean onOriginals = list(statement.get("Resource")).stream()
                        .map(template::resolve).anyMatch(arn -> arn.contains("/originals/") || arn.matches(".*:::[^/]+/\\*"));
                if (onOriginals) {
                    assertThat(list(statement.get("Action"))).as(function)
                            .allMatch(action -> allowedOnOriginals.getOrDefault(function, List.of()).contains(String.valueOf(action)));
                }
            }
        }
    }

    @Test
    void rejectedOriginalsAndUnfinishedUploadsExpireAndEveryFailureRaisesAnAlarm() {
        String lifecycle = template.properties("MediaBucket").get("LifecycleConfiguration").toString();
        assertThat(lifecycle).contains("AbortIncompleteMultipartUpload").contains("mediagate-status").contains("NoncurrentVersionExpiration")
                .contains("Prefix=deletions/");
        assertThat(template.logicalIdsOfType("AWS::CloudWatch::Alarm"))
                .contains("ResizerFailuresAlarm", "ResizerErrorsAlarm", "ApiServerErrorsAlarm");
        assertThat(template.properties("ResizerFailuresAlarm").get("Dimensions").toString()).contains("ResizerFailureQueue");
    }

    @Test
    void theResizerIsNotifiedForOriginalsOnlySoItsOwnWritesNeverTriggerIt() {
        Map<String, Object> toQueue = resizerNotification();
        List<Object> rules = list(map(map(toQueue.get("Filter")).get("S3Key")).get("Rules"));

        assertThat(rules).map(SamTemplate::map).anySatisfy(rule -> {
            assertThat(rule).containsEntry("Name", "prefix");
            assertThat(String.valueOf(rule.get("Value"))).isEqualTo("originals/");
        });
        String notified = template.resolve(rules.stream().map(SamTemplate::map)
                .filter(rule -> "prefix".equals(rule.get("Name"))).findFirst().orElseThrow().get("Value"));
        String bucket = "arn:aws:s3:::" + template.resolve(template.properties("MediaBucket").get("BucketName")) + "/";
        for (Map<String, Object> statement : s3Statements("ImageResizerFunction")) {
            if (list(statement.get("Action")).contains("s3:PutObject")) {
                for (Object resource : list(statement.get("Resource"))) {
                    String writable = template.resolve(resource).substring(bucket.length()).replaceFirst("\\*$", "");
                    assertThat(writable).as("the resizer writes where its notification fires").doesNotStartWith(notified);
                    assertThat(notified).as("the resizer writes where its notification fires").doesNotStartWith(writable);
                }
            }
        }
    }

    @Test
    void newOriginalsWaitInAQueueThatOnlyTheStacksBucketMayFill() {
        Map<String, Object> toQueue = resizerNotification();
        assertThat(toQueue).containsEntry("Event", "s3:ObjectCreated:*");
        assertThat(String.valueOf(template.resource("MediaBucket").get("DependsOn"))).as("S3 tests the queue when the notification is set")
                .contains("ResizerQueuePolicy");

        Map<String, Object> policy = map(template.evaluate(template.properties("ResizerQueuePolicy").get("PolicyDocument")));
        List<Object> statements = list(policy.get("Statement"));
        assertThat(statements).hasSize(1);
        Map<String, Object> statement = map(statements.get(0));
        assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "sqs:SendMessage")
                .containsEntry("Principal", Map.of("Service", "s3.amazonaws.com")).containsEntry("Resource", "${ResizerQueue.Arn}");
        Map<String, Object> condition = map(statement.get("Condition"));
        assertThat(map(condition.get("ArnLike")).get("aws:SourceArn"))
                .isEqualTo("arn:aws:s3:::" + template.resolve(template.properties("MediaBucket").get("BucketName")));
        assertThat(map(condition.get("StringEquals")).get("aws:SourceAccount")).isEqualTo(SamTemplate.LOCAL_ACCOUNT_ID);
        assertThat(template.properties("ResizerQueue")).containsEntry("SqsManagedSseEnabled", true);
    }

    @Test
    void theResizerDrainsTheQueueWithACappedConcurrencyAndReportsEachFailedMessageAlone() {
        Map<String, Object> events = map(template.properties("ImageResizerFunction").get("Events"));
        assertThat(events.values()).map(SamTemplate::map).extracting(event -> event.get("Type")).as("no direct S3 invocation")
                .containsExactly("SQS");
        Map<String, Object> source = map(template.evaluate(map(events.get("OriginalCreated")).get("Properties")));

        assertThat(source.get("Queue")).isEqualTo("${ResizerQueue.Arn}");
        assertThat(list(source.get("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
        int cap = Integer.parseInt(String.valueOf(map(source.get("ScalingConfig")).get("MaximumConcurrency")));
        assertThat(cap).as("SQS's MaximumConcurrency is 2 to 1000").isBetween(2, 1000);
        // A new account's concurrency quota is 10: the resizer at its cap leaves the API (and the publisher) some of it.
        assertThat(cap).as("the default cap within a new account's quota of 10, with room for the API").isLessThanOrEqualTo(5);
        assertThat(template.properties("ImageResizerFunction")).doesNotContainKey("EventInvokeConfig");
        Map<String, Object> uncapped = map(SamTemplate.load(ROOT.resolve("template.yaml"), Map.of("ResizerMaximumConcurrency", "0"))
                .evaluate(map(events.get("OriginalCreated")).get("Properties")));
        assertThat(uncapped).doesNotContainKey("ScalingConfig");
    }

    @Test
    void aMessageIsReceivedAgainOnlyAfterSixFunctionTimeoutsAndGoesToAnAlarmedFailureQueueAfterItsReceives() {
        Map<String, Object> queue = template.properties("ResizerQueue");
        int timeout = Integer.parseInt(template.resolve(template.properties("ImageResizerFunction").get("Timeout")));

        assertThat(Integer.parseInt(template.resolve(queue.get("VisibilityTimeout")))).as("Lambda's advice for SQS sources")
                .isGreaterThanOrEqualTo(6 * timeout);
        int retention = Integer.parseInt(template.resolve(queue.get("MessageRetentionPeriod")));
        assertThat(retention).as("at least four days").isGreaterThanOrEqualTo(4 * 24 * 3600);
        Map<String, Object> redrive = map(template.evaluate(queue.get("RedrivePolicy")));
        assertThat(redrive.get("deadLetterTargetArn")).isEqualTo("${ResizerFailureQueue.Arn}");
        assertThat(String.valueOf(redrive.get("maxReceiveCount"))).as("the resizer knows which receive is the last")
                .isEqualTo(template.environment("ImageResizerFunction").get("MAX_RECEIVE_COUNT"));
        assertThat(Integer.parseInt(String.valueOf(redrive.get("maxReceiveCount")))).isEqualTo(ImageResizerHandler.DEFAULT_MAX_RECEIVE_COUNT);
        assertThat(template.properties("ResizerFailureQueue")).containsEntry("SqsManagedSseEnabled", true);
        assertThat(Integer.parseInt(template.resolve(template.properties("ResizerFailureQueue").get("MessageRetentionPeriod"))))
                .as("a dead letter keeps its first enqueue time").isGreaterThan(retention);
        assertThat(template.properties("ResizerFailuresAlarm").get("Dimensions").toString()).contains("ResizerFailureQueue");
        assertThat(template.properties("ResizerBacklogAlarm").get("Dimensions").toString()).contains("ResizerQueue");
        assertThat(LocalEventRouter.failurePublisher(template)).as("no Lambda on-failure records any more").isNull();
    }

    @Test
    void theUploadAndStatusRoutesHaveThrottlesOfTheirOwnWithinTheAccountsDefaultQuota() {
        Map<String, Object> api = map(template.evaluate(template.properties("HttpApi")));
        Map<String, Object> perRoute = map(api.get("RouteSettings"));
        List<String> routeKeys = HttpRoute.from(template).stream().map(HttpRoute::routeKey).toList();

        assertThat(perRoute).containsOnlyKeys("POST /uploads", "POST /owners/{owner}/uploads", "GET /files/{fileId}",
                "GET /owners/{owner}/files/{fileId}");
        assertThat(routeKeys).as("each throttled route is a route of the API").containsAll(perRoute.keySet());
        double uploads = rate(perRoute.get("POST /uploads"));
        double status = rate(perRoute.get("GET /files/{fileId}"));
        double others = rate(api.get("DefaultRouteSettings"));
        assertThat(rate(perRoute.get("POST /owners/{owner}/uploads"))).isEqualTo(uploads);
        assertThat(rate(perRoute.get("GET /owners/{owner}/files/{fileId}"))).isEqualTo(status);
        // A processing file is polled a few times with backoff; each upload asks for one URL.
        assertThat(status).as("status polls outnumber upload requests").isGreaterThan(uploads);
        assertThat(uploads).as("uploads get more than any other route").isGreaterThan(others);
        // The four throttled routes at full rate stay under API Gateway's default account quota (10,000 requests/s).
        assertThat(2 * uploads + 2 * status).isLessThanOrEqualTo(10_000);
        for (Object settings : perRoute.values()) {
            assertThat(Double.parseDouble(String.valueOf(map(settings).get("ThrottlingBurstLimit"))))
                    .as("a burst is at least a second's rate").isGreaterThanOrEqualTo(rate(settings)).isLessThanOrEqualTo(5_000);
        }
    }

    private static double rate(Object settings) {
        return Double.parseDouble(String.valueOf(map(settings).get("ThrottlingRateLimit")));
    }

    private Map<String, Object> resizerNotification() {
        List<Object> toQueues = list(map(template.evaluate(template.properties("MediaBucket").get("NotificationConfiguration"))).get("QueueConfigurations"));
        assertThat(toQueues).hasSize(1);
        Map<String, Object> toQueue = map(toQueues.get(0));
        assertThat(template.resolve(toQueue.get("Queue"))).isEqualTo("${ResizerQueue.Arn}");
        return toQueue;
    }

    private List<Object> statementsWithActionPrefix(String function, String prefix) {
        List<Object> statements = new ArrayList<>();
        for (Object policy : list(template.properties(function).get("Policies"))) {
            for (Object statement : list(map(policy).get("Statement"))) {
                if (list(map(statement).get("Action")).stream().anyMatch(a -> String.valueOf(a).startsWith(prefix))) {
                    statements.add(statement);
                }
            }
        }
        return statements;
    }

    @Test
    void theApiFunctionTouchesOnlyTheContractsPrefixesReadsOneSecretAndQueuesInvalidationsOfItsOwnDistribution() {
        for (Map<String, Object> statement : s3Statements("MediaApiFunction")) {
            for (Object resource : list(statement.get("Resource"))) {
                String arn = template.resolve(resource);
                if (list(statement.get("Action")).contains("s3:ListBucket")) {
                    assertThat(arn).isEqualTo("arn:aws:s3:::" + template.resolve(template.properties("MediaBucket").get("BucketName")));
                } else {
                    assertThat(arn).matches(".*/(originals|variants|public|shares|uploads|deletions)/(\\*|\\*/manifest\\.json)");
                }
            }
        }
        // The API queues invalidations and never calls CloudFront itself: only CdnInvalidationFunction may, and only
        // on this stack's distribution, draining a queue that retries for a day into a dead-letter queue with an alarm.
        assertThat(statementsWithActionPrefix("MediaApiFunction", "cloudfront:")).isEmpty();
        // Its other queue is the resizer's (reprocess requests), SendMessage only, that queue only.
        assertThat(statementsWithActionPrefix("MediaApiFunction", "sqs:")).hasSize(2).allSatisfy(statement ->
                assertThat(list(map(statement).get("Action"))).containsExactly("sqs:SendMessage"));
        assertThat(statementsWithActionPrefix("MediaApiFunction", "sqs:").stream().map(statement -> template.resolve(map(statement).get("Resource"))))
                .containsExactlyInAnyOrder(template.resolve(Map.of("Fn::GetAtt", List.of("CdnInvalidationQueue", "Arn"))),
                        template.resolve(Map.of("Fn::GetAtt", List.of("ResizerQueue", "Arn"))));
        assertThat(template.environment("MediaApiFunction")).containsKey("RESIZER_QUEUE_URL");
        assertThat(statementsWithActionPrefix("CdnInvalidationFunction", "")).singleElement().satisfies(statement -> {
            assertThat(list(map(statement).get("Action"))).containsExactly("cloudfront:CreateInvalidation");
            assertThat(map(statement).get("Resource").toString()).contains("distribution/${CdnDistribution}");
        });
        Map<String, Object> queue = template.properties("CdnInvalidationQueue");
        Map<String, Object> redrive = map(queue.get("RedrivePolicy"));
        assertThat(Integer.parseInt(String.valueOf(redrive.get("maxReceiveCount"))) * Integer.parseInt(String.valueOf(queue.get("VisibilityTimeout"))))
                .as("seconds of retries").isGreaterThanOrEqualTo(24 * 3600);
        assertThat(redrive.get("deadLetterTargetArn").toString()).contains("CdnInvalidationDeadLetterQueue");
        assertThat(template.properties("CdnInvalidationDeadLettersAlarm").get("Dimensions").toString()).contains("CdnInvalidationDeadLetterQueue");
        List<Object> secretStatements = new ArrayList<>();
        for (Object policy : list(template.properties("MediaApiFunction").get("Policies"))) {
            for (Object statement : list(map(policy).get("Statement"))) {
                if (list(map(statement).get("Action")).stream().anyMatch(a -> String.valueOf(a).startsWith("secretsmanager:"))) {
                    secretStatements.add(statement);
                }
            }
        }
        String secrets = "arn:aws:secretsmanager:us-east-1:000000000000:secret:mediagate/dev/";
        assertThat(secretStatements).singleElement().satisfies(statement -> {
            assertThat(list(map(statement).get("Action"))).containsExactly("secretsmanager:GetSecretValue");
            assertThat(list(template.evaluate(map(statement).get("Resource"))))
                    .containsExactly(secrets + "cdn-private-key-a-??????", secrets + "cdn-private-key-b-??????");
        });
    }

    @Test
    void onlyTheDistributionMayReadTheBucketAndOriginalsAreNeverOverwritten() {
        List<Object> statements = list(map(template.properties("MediaBucketPolicy").get("PolicyDocument")).get("Statement"));

        assertThat(statements).map(SamTemplate::map).anySatisfy(statement -> {
            assertThat(statement).containsEntry("Effect", "Allow");
            assertThat(statement.get("Principal")).isEqualTo(Map.of("Service", "cloudfront.amazonaws.com"));
            assertThat(statement.get("Condition").toString()).contains("AWS:SourceArn").contains("CdnDistribution");
        });
        assertThat(statements).map(SamTemplate::map).anySatisfy(statement -> {
            assertThat(statement).containsEntry("Effect", "Deny").containsEntry("Action", "s3:PutObject");
            assertThat(statement.get("Condition").toString()).contains("s3:if-none-match");
        });
        Map<String, Object> behaviour = map(map(template.properties("CdnDistribution").get("DistributionConfig")).get("DefaultCacheBehavior"));
        assertThat(behaviour).containsEntry("ViewerProtocolPolicy", "https-only");
        assertThat(list(behaviour.get("TrustedKeyGroups"))).containsExactly(Map.of("Ref", "CdnKeyGroup"));
    }

    @Test
    void noFunctionGetsWildcardS3ActionsOrResources() {
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            for (Map<String, Object> statement : s3Statements(function)) {
                assertThat(list(statement.get("Action"))).as(function).noneMatch(a -> String.valueOf(a).contains("*"));
                assertThat(list(statement.get("Resource"))).as(function).noneMatch("*"::equals);
            }
        }
    }

    @Test
    void everyRouteButShareLinksIsBehindTheJwtAuthorizerAndTheServiceRoutesNeedTheServiceScope() {
        Map<String, Object> auth = map(template.properties("HttpApi").get("Auth"));

        assertThat(auth.get("DefaultAuthorizer")).isEqualTo("JwtAuthorizer");
        assertThat(map(map(auth.get("Authorizers")).get("JwtAuthorizer")).get("JwtConfiguration")).isNotNull();
        List<HttpRoute> routes = HttpRoute.from(template);
        assertThat(routes).extracting(HttpRoute::routeKey).contains("GET /shared/{token}", "POST /links",
                "GET /owners/{owner}/files/{fileId}", "PATCH /files/{fileId}", "GET /me");
        for (HttpRoute route : routes) {
            if (route.path().startsWith("/shared/")) {
                assertThat(route.authorizer()).as(route.routeKey()).isEqualTo(HttpRoute.NO_AUTHORIZER);
            } else if (route.path().startsWith("/owners/") || route.path().equals("/links")) {
                assertThat(route.authorizer()).as(route.routeKey()).isEqualTo("JwtAuthorizer");
                assertThat(route.scopes()).as(route.routeKey()).containsExactly("mediagate/service");
            } else {
                assertThat(route.authorizer()).as(route.routeKey()).isEqualTo("JwtAuthorizer");
                assertThat(route.scopes()).as(route.routeKey()).isEmpty();
            }
        }
    }

    @Test
    void publicVariantsAreServedUnsignedButCachedAndHardenedAsEverythingElseAndNothingServesShareRecords() {
        Map<String, Object> distribution = map(template.properties("CdnDistribution").get("DistributionConfig"));
        Map<String, Object> signed = map(distribution.get("DefaultCacheBehavior"));

        assertThat(list(distribution.get("CacheBehaviors"))).map(SamTemplate::map).singleElement().satisfies(behaviour -> {
            assertThat(behaviour).containsEntry("PathPattern", "/public/*").doesNotContainKey("TrustedKeyGroups")
                    .containsEntry("ViewerProtocolPolicy", "https-only")
                    .containsEntry("CachePolicyId", signed.get("CachePolicyId"))
                    .containsEntry("ResponseHeadersPolicyId", signed.get("ResponseHeadersPolicyId"));
        });
        List<Object> statements = list(map(template.properties("MediaBucketPolicy").get("PolicyDocument")).get("Statement"));
        Map<String, Object> cdnReads = statements.stream().map(SamTemplate::map)
                .filter(statement -> Map.of("Service", "cloudfront.amazonaws.com").equals(statement.get("Principal"))).findFirst().orElseThrow();
        assertThat(list(cdnReads.get("Resource"))).map(Object::toString).noneMatch(resource -> resource.contains("shares"))
                .allMatch(resource -> resource.matches(".*/(originals|variants|public)/\\*\\}?"));
    }

    /**
     * What the distribution may read, by IAM's evaluation of the bucket policy (an explicit Deny wins): the originals,
     * variants and public copies it delivers, never a manifest (it names the owner and the original's key and lies under
     * the prefix a file's signed URLs cover), a share record or a multipart record. The local edge reads the same
     * statements ({@link CdnOriginReads}) and must agree key for key.
     */
    @Test
    void theDistributionReadsWhatItDeliversAndNeverManifestsShareOrUploadRecords() {
        String bucketArn = "arn:aws:s3:::mediagate-dev-000000000000-us-east-1";
        List<Map<String, Object>> policy = IamPolicy.bucketPolicy(template, bucketArn);
        String distribution = policy.stream().map(statement -> map(map(statement.get("Condition")).get("StringEquals")).get("AWS:SourceArn"))
                .filter(java.util.Objects::nonNull).map(String::valueOf).findFirst().orElseThrow();
        CdnOriginReads local = CdnOriginReads.from(template);
        String owner = "ksbadydqkpcosn4zkgtwasmyjuchops2";
        String file = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
        Map<String, Boolean> expected = new LinkedHashMap<>();
        expected.put("originals/" + owner + "/" + file, true);
        expected.put("variants/" + owner + "/" + file + "/thumb.jpg", true);
        expected.put("variants/" + owner + "/" + file + "/g2/thumb.webp", true);
        expected.put("public/" + owner + "/" + file + "/thumb.jpg", true);
        expected.put("variants/" + owner + "/" + file + "/manifest.json", false);
        expected.put("shares/tokens/" + "0".repeat(64) + ".json", false);
        expected.put("shares/files/" + owner + "/" + file + "/s.json", false);
        expected.put("uploads/" + owner + "/" + file + ".json", false);
        expected.put("other/" + owner, false);
        expected.forEach((key, readable) -> {
            IamPolicy.Decision decision = IamPolicy.evaluate(List.of(), policy, new IamPolicy.Request("cloudfront.amazonaws.com",
                    "s3:GetObject", bucketArn + "/" + key, Map.of("AWS:SourceArn", distribution, "aws:SecureTransport", "true")));
            assertThat(decision).as(key).isEqualTo(readable ? IamPolicy.Decision.ALLOW
                    : key.startsWith("other/") ? IamPolicy.Decision.IMPLICIT_DENY : IamPolicy.Decision.EXPLICIT_DENY);
            assertThat(local.mayRead(key)).as("local edge: " + key).isEqualTo(readable);
        });
    }

    @Test
    void onlyTheResizerPutsBytesUnderPublicAndNoPresignedUrlCan() {
        List<Object> statements = list(map(template.properties("MediaBucketPolicy").get("PolicyDocument")).get("Statement"));

        assertThat(statements).map(SamTemplate::map).anySatisfy(statement -> {
            assertThat(statement).containsEntry("Effect", "Deny").containsEntry("Action", "s3:PutObject");
            assertThat(statement.get("Resource").toString()).contains("/public/*");
            Map<String, Object> condition = map(statement.get("Condition"));
            assertThat(map(condition.get("Null"))).containsEntry("s3:x-amz-copy-source", "true");
            assertThat(map(condition.get("ArnNotEquals")).get("aws:PrincipalArn").toString()).contains("ImageResizerFunctionRole");
        });
    }

    @Test
    void theBucketBlocksPublicAccessEnforcesOwnershipAndEncrypts() {
        Map<String, Object> bucket = template.properties("MediaBucket");

        assertThat(map(bucket.get("PublicAccessBlockConfiguration"))).containsEntry("BlockPublicAcls", true)
                .containsEntry("BlockPublicPolicy", true).containsEntry("IgnorePublicAcls", true)
                .containsEntry("RestrictPublicBuckets", true);
        assertThat(bucket.get("OwnershipControls").toString()).contains("BucketOwnerEnforced");
        assertThat(bucket.get("BucketEncryption")).isNotNull();
    }

    @Test
    void theBucketPolicyDeniesEveryRequestWithoutTls() {
        List<Object> statements = list(map(template.properties("MediaBucketPolicy").get("PolicyDocument")).get("Statement"));

        assertThat(statements).map(SamTemplate::map).anySatisfy(statement -> {
            assertThat(statement).containsEntry("Effect", "Deny");
            assertThat(String.valueOf(statement.get("Condition"))).contains("aws:SecureTransport=false");
        });
    }

    @Test
    void theApiAndTheResizerPublishAnAliasWithSnapStart() {
        for (String function : List.of("MediaApiFunction", "ImageResizerFunction")) {
            Map<String, Object> properties = template.properties(function);

            assertThat(properties).as(function).containsEntry("AutoPublishAlias", "live");
            assertThat(map(properties.get("SnapStart"))).as(function).containsEntry("ApplyOn", "PublishedVersions");
        }
    }

    @Test
    void queuesAreNamedByCloudFormationSoARetryAfterAFailedCreateNeverWaitsForSqsToFreeAName() {
        assertThat(template.logicalIdsOfType("AWS::SQS::Queue")).isNotEmpty()
                .allSatisfy(queue -> assertThat(template.properties(queue)).as(queue).doesNotContainKey("QueueName"));
    }

    @Test
    void theTemplatesBoundOnMaxImageBytesIsTheOneTheResizerAccepts() {
        Map<String, Object> parameter = map(map(template.root().get("Parameters")).get("MaxImageBytes"));

        assertThat(((Number) parameter.get("MaxValue")).longValue()).isEqualTo(ImageResizerHandler.MAX_IMAGE_BYTES_LIMIT);
    }

    /** A presigned URL dies with the role's temporary credentials that signed it: the contract caps upload URLs at an hour. */
    @Test
    void uploadUrlsLiveAtMostAnHour() {
        Map<String, Object> parameter = map(map(template.root().get("Parameters")).get("UploadUrlTtlSeconds"));

        assertThat(((Number) parameter.get("MaxValue")).longValue()).isEqualTo(3600);
        assertThat(((Number) parameter.get("Default")).longValue()).isBetween(1L, 3600L);
    }

    /** HEIC/HEIF are decoded by the HEIC layer: the resizer and ReprocessFunction get it, and its path, only with HeicSupport. */
    @Test
    void heicTypesMayBeAllowedOnlyWithHeicSupportWhichAttachesTheHeicLayerToTheResizer() {
        Path file = ROOT.resolve("template.yaml");
        assertThat(template.rule("HeicNeedsItsLayer")).as("the default types").isTrue();
        assertThat(SamTemplate.load(file, Map.of("AllowedContentTypes", "image/jpeg,image/heic")).rule("HeicNeedsItsLayer"))
                .as("image/heic without HeicSupport").isFalse();
        assertThat(SamTemplate.load(file, Map.of("AllowedContentTypes", "image/heif,image/png")).rule("HeicNeedsItsLayer"))
                .as("image/heif without HeicSupport").isFalse();
        SamTemplate heic = SamTemplate.load(file, Map.of("HeicSupport", "true", "AllowedContentTypes", "image/jpeg,image/heic,image/heif"));
        assertThat(heic.rule("HeicNeedsItsLayer")).isTrue();

        for (String function : List.of("ImageResizerFunction", "ReprocessFunction")) {
            assertThat(list(template.evaluate(template.properties(function).get("Layers")))).as(function).containsExactly("LibvipsArm64Layer");
            assertThat(template.environment(function)).as(function).doesNotContainKey("LIBHEIF_PATH");
            assertThat(list(heic.evaluate(heic.properties(function).get("Layers")))).as(function)
                    .containsExactly("LibvipsArm64Layer", "LibheifArm64Layer");
            assertThat(heic.environment(function)).as(function).containsEntry("LIBHEIF_PATH", "/opt/lib/libheif.so.1");
        }
        assertThat(template.exists("LibheifArm64Layer") || template.exists("LibheifX8664Layer")).isFalse();
        assertThat(heic.exists("LibheifArm64Layer") && heic.exists("LibheifX8664Layer")).isTrue();
        assertThat(heic.environment("MediaApiFunction")).containsEntry("ALLOWED_CONTENT_TYPES", "image/jpeg,image/heic,image/heif");
    }

    @Test
    void functionsRunJava25AndGetTheContractSettings() {
        assertThat(map(map(template.root().get("Globals")).get("Function"))).containsEntry("Runtime", "java25");
        assertThat(template.environment("MediaApiFunction"))
                .containsKeys("MEDIA_BUCKET", "ALLOWED_CONTENT_TYPES", "MAX_UPLOAD_BYTES", "UPLOAD_URL_TTL_SECONDS");
    }

    @Test
    void eventsGoOnTheStacksOwnBusAndNoFunctionMayPutEventsAnywhereElse() {
        assertThat(template.resolve(template.properties("EventBus").get("Name"))).isEqualTo("mediagate-dev");
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            for (Object policy : list(template.properties(function).get("Policies"))) {
                for (Object statement : list(map(policy).get("Statement"))) {
                    if (list(map(statement).get("Action")).stream().anyMatch(a -> String.valueOf(a).startsWith("events:"))) {
                        assertThat(list(map(statement).get("Action"))).as(function).containsExactly("events:PutEvents");
                        assertThat(template.resolve(map(statement).get("Resource"))).as(function).isEqualTo("${EventBus.Arn}");
                    }
                }
            }
        }
        assertThat(template.environment("ImageResizerFunction")).containsKey("EVENT_BUS_NAME");
        assertThat(template.environment("EventPublisherFunction")).containsKey("EVENT_BUS_NAME");
        assertThat(map(template.root().get("Outputs"))).containsKeys("EventBusName", "EventBusArn");
    }

    @Test
    void webhookResourcesExistOnlyWithAWebhookUrlAndRetryForADayBeforeTheirAlarmedDeadLetterQueue() {
        List<String> webhookResources = List.of("WebhookQueue", "WebhookDeadLetterQueue", "WebhookRule", "WebhookQueuePolicy",
                "WebhookDeliveryFunction", "WebhookSecretReadPolicy", "WebhookDeadLettersAlarm");
        SamTemplate withWebhook = SamTemplate.load(ROOT.resolve("template.yaml"), Map.of("WebhookUrl", "https://backend.example.com/hooks",
                "WebhookSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:mediagate/dev/webhook-AbCdEf"));

        assertThat(webhookResources).noneMatch(template::exists).allMatch(withWebhook::exists);
        assertThat(withWebhook.rule("WebhookHasASecret")).isTrue();
        assertThat(SamTemplate.load(ROOT.resolve("template.yaml"), Map.of("WebhookUrl", "https://backend.example.com/hooks"))
                .rule("WebhookHasASecret")).as("a URL without a secret").isFalse();
        Map<String, Object> queue = withWebhook.properties("WebhookQueue");
        assertThat(map(queue.get("RedrivePolicy"))).containsEntry("maxReceiveCount", 16);
        int timeout = ((Number) withWebhook.properties("WebhookDeliveryFunction").get("Timeout")).intValue();
        assertThat(((Number) queue.get("VisibilityTimeout")).intValue()).isGreaterThanOrEqualTo(6 * timeout);
        assertThat(list(withWebhook.properties("WebhookRule").get("Targets"))).map(SamTemplate::map)
                .singleElement().satisfies(target -> assertThat(target).containsEntry("InputPath", "$.detail"));
        assertThat(withWebhook.properties("WebhookRule").get("EventPattern").toString()).contains("mediagate");
        Map<String, Object> source = map(map(map(withWebhook.properties("WebhookDeliveryFunction").get("Events")).get("Queued")).get("Properties"));
        assertThat(list(source.get("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
        assertThat(withWebhook.properties("WebhookDeadLettersAlarm").get("Dimensions").toString()).contains("WebhookDeadLetterQueue");
        assertThat(withWebhook.environment("WebhookDeliveryFunction")).containsKeys("WEBHOOK_URL", "WEBHOOK_SECRET_ARN", "WEBHOOK_QUEUE_URL")
                .doesNotContainKey("WEBHOOK_SECRET");
    }

    @Test
    void thePublisherIsNotifiedOfManifestsAndRemovedOriginalsOnlyAndItsOwnFailuresAreQueued() {
        Map<String, Object> events = map(template.properties("EventPublisherFunction").get("Events"));

        assertThat(events.get("ManifestWritten").toString()).contains("variants/", "manifest.json", "s3:ObjectCreated:*");
        assertThat(events.get("OriginalRemoved").toString()).contains("originals/", "s3:ObjectRemoved:*").doesNotContain("ObjectCreated");
        assertThat(map(map(map(template.properties("EventPublisherFunction").get("EventInvokeConfig")).get("DestinationConfig"))
                .get("OnFailure")).get("Destination").toString()).contains("EventPublisherFailureQueue");
        assertThat(template.properties("EventPublisherFailuresAlarm").get("Dimensions").toString()).contains("EventPublisherFailureQueue");
    }

    /**
     * Malware scanning is opt-in: by default none of its resources exist and S3 queues new originals for the resizer;
     * with {@code MalwareScanning=guardduty} a GuardDuty plan protects originals/ with tagging, S3 no longer queues
     * originals (the scan result does, from this bucket only) and the bucket keeps its EventBridge notifications on, which
     * GuardDuty turned on and a stack update would otherwise turn off.
     */
    @Test
    void malwareScanningIsOptInAndThenTheResizerStartsFromGuardDutysVerdictOnThisBucketsOriginalsOnly() {
        List<String> malwareResources = List.of("MalwareProtectionPlan", "MalwareProtectionRole", "MalwareScanResultRule",
                "MalwareThreatsFoundRule", "MalwareScanFailedRule", "MalwareThreatsFoundAlarm", "MalwareScanFailedAlarm");
        SamTemplate scanning = SamTemplate.load(ROOT.resolve("template.yaml"), Map.of("MalwareScanning", "guardduty"));
        String bucketName = template.resolve(template.properties("MediaBucket").get("BucketName"));

        assertThat(malwareResources).noneMatch(template::exists).allMatch(scanning::exists);
        assertThat(map(template.evaluate(template.properties("MediaBucket").get("NotificationConfiguration"))))
                .containsKey("QueueConfigurations").doesNotContainKey("EventBridgeConfiguration");
        assertThat(map(scanning.evaluate(scanning.properties("MediaBucket").get("NotificationConfiguration"))))
                .doesNotContainKey("QueueConfigurations").containsEntry("EventBridgeConfiguration", Map.of("EventBridgeEnabled", true));

        Map<String, Object> plan = map(scanning.evaluate(scanning.properties("MalwareProtectionPlan")));
        assertThat(map(map(plan.get("ProtectedResource")).get("S3Bucket"))).containsEntry("BucketName", "MediaBucket")
                .containsEntry("ObjectPrefixes", List.of("originals/"));
        assertThat(map(map(plan.get("Actions")).get("Tagging"))).containsEntry("Status", "ENABLED");
        assertThat(plan).containsEntry("Role", "${MalwareProtectionRole.Arn}");

        Map<String, Object> rule = map(scanning.evaluate(scanning.properties("MalwareScanResultRule")));
        Map<String, Object> pattern = map(rule.get("EventPattern"));
        assertThat(pattern).containsEntry("source", List.of("aws.guardduty"))
                .containsEntry("detail-type", List.of("GuardDuty Malware Protection Object Scan Result"));
        Map<String, Object> object = map(map(pattern.get("detail")).get("s3ObjectDetails"));
        assertThat(object).containsEntry("bucketName", List.of(bucketName)).containsEntry("objectKey", List.of(Map.of("prefix", "originals/")));
        assertThat(rule).doesNotContainKey("EventBusName");
        assertThat(list(rule.get("Targets"))).map(SamTemplate::map).singleElement()
                .satisfies(target -> assertThat(target).containsEntry("Arn", "${ResizerQueue.Arn}").doesNotContainKey("InputPath"));

        List<Map<String, Object>> queuePolicy = list(map(scanning.evaluate(scanning.properties("ResizerQueuePolicy").get("PolicyDocument")))
                .get("Statement")).stream().map(SamTemplate::map).toList();
        assertThat(queuePolicy).hasSize(2).last().satisfies(statement -> {
            assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "sqs:SendMessage")
                    .containsEntry("Principal", Map.of("Service", "events.amazonaws.com"));
            assertThat(map(map(statement.get("Condition")).get("ArnEquals"))).containsEntry("aws:SourceArn", "${MalwareScanResultRule.Arn}");
        });

        assertThat(map(map(scanning.evaluate(scanning.properties("MalwareThreatsFoundRule").get("EventPattern"))).get("detail")).toString())
                .contains("scanResultStatus=[THREATS_FOUND]").contains(bucketName);
        assertThat(map(map(scanning.evaluate(scanning.properties("MalwareScanFailedRule").get("EventPattern"))).get("detail")).toString())
                .contains("scanResultStatus=[UNSUPPORTED, ACCESS_DENIED, FAILED]").contains(bucketName);
        assertThat(scanning.properties("MalwareThreatsFoundAlarm").get("Dimensions").toString()).contains("MalwareThreatsFoundRule");
        assertThat(scanning.properties("MalwareScanFailedAlarm").get("Dimensions").toString()).contains("MalwareScanFailedRule");
    }

    /**
     * A verdict EventBridge cannot deliver to the resizer's queue is retried for a day, then kept in a dead-letter
     * queue only that rule may send to (evaluated as IAM would), whose visible messages wake an operator.
     */
    @Test
    void aVerdictThatCannotBeDeliveredIsRetriedThenKeptAndAlarmed() {
        List<String> resources = List.of("MalwareScanResultDeadLetterQueue", "MalwareScanResultDeadLetterQueuePolicy",
                "MalwareScanResultDeadLettersAlarm");
        SamTemplate scanning = SamTemplate.load(ROOT.resolve("template.yaml"), Map.of("MalwareScanning", "guardduty"));
        assertThat(resources).noneMatch(template::exists).allMatch(scanning::exists);

        Map<String, Object> target = map(list(scanning.evaluate(scanning.properties("MalwareScanResultRule").get("Targets"))).get(0));
        assertThat(map(target.get("RetryPolicy"))).containsEntry("MaximumEventAgeInSeconds", 86400);
        assertThat(map(target.get("DeadLetterConfig"))).containsEntry("Arn", "${MalwareScanResultDeadLetterQueue.Arn}");
        List<Map<String, Object>> policy = list(scanning.evaluate(map(scanning.properties("MalwareScanResultDeadLetterQueuePolicy")
                .get("PolicyDocument")).get("Statement"))).stream().map(SamTemplate::map).toList();
        String queue = "${MalwareScanResultDeadLetterQueue.Arn}";
        assertThat(IamPolicy.evaluate(List.of(), policy, new IamPolicy.Request("events.amazonaws.com", "sqs:SendMessage", queue,
                Map.of("aws:SourceArn", "${MalwareScanResultRule.Arn}")))).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(IamPolicy.evaluate(List.of(), policy, new IamPolicy.Request("events.amazonaws.com", "sqs:SendMessage", queue,
                Map.of("aws:SourceArn", "${WebhookRule.Arn}")))).isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
        Map<String, Object> alarm = map(scanning.evaluate(scanning.properties("MalwareScanResultDeadLettersAlarm")));
        assertThat(alarm).containsEntry("MetricName", "ApproximateNumberOfMessagesVisible").containsEntry("Threshold", 0)
                .containsEntry("ComparisonOperator", "GreaterThanThreshold");
        assertThat(alarm.get("Dimensions").toString()).contains("MalwareScanResultDeadLetterQueue");
    }

    /**
     * GuardDuty's role, evaluated as IAM would: it reads and tags originals only, writes its one validation object, and
     * gets KMS only when the bucket uses a customer key (and then for that key, through S3 only).
     */
    @Test
    void guardDutysRoleReadsAndTagsOriginalsOnlyAndDecryptsOnlyWithTheBucketsOwnKey() {
        SamTemplate scanning = SamTemplate.load(ROOT.resolve("template.yaml"), Map.of("MalwareScanning", "guardduty"));
        String bucketArn = "arn:aws:s3:::" + template.resolve(template.properties("MediaBucket").get("BucketName"));
        String role = "arn:aws:iam::000000000000:role/guardduty";
        List<Map<String, Object>> policy = rolePolicy(scanning, "MalwareProtectionRole");
        Map<String, IamPolicy.Decision> expected = new LinkedHashMap<>();
        expected.put("s3:GetObject " + bucketArn + "/originals/o/f", IamPolicy.Decision.ALLOW);
        expected.put("s3:PutObjectTagging " + bucketArn + "/originals/o/f", IamPolicy.Decision.ALLOW);
        expected.put("s3:PutObject " + bucketArn + "/malware-protection-resource-validation-object", IamPolicy.Decision.ALLOW);
        expected.put("s3:GetObject " + bucketArn + "/variants/o/f/manifest.json", IamPolicy.Decision.IMPLICIT_DENY);
        expected.put("s3:GetObject " + bucketArn + "/shares/tokens/t.json", IamPolicy.Decision.IMPLICIT_DENY);
        expected.put("s3:PutObjectTagging " + bucketArn + "/public/o/f/thumb.jpg", IamPolicy.Decision.IMPLICIT_DENY);
        expected.put("s3:PutObject " + bucketArn + "/originals/o/f", IamPolicy.Decision.IMPLICIT_DENY);
        expected.put("s3:DeleteObject " + bucketArn + "/originals/o/f", IamPolicy.Decision.IMPLICIT_DENY);
        expected.forEach((request, decision) -> {
            String[] parts = request.split(" ");
            assertThat(IamPolicy.evaluate(policy, List.of(), new IamPolicy.Request(role, parts[0], parts[1], Map.of())))
                    .as(request).isEqualTo(decision);
        });
        assertThat(policy).noneMatch(statement -> statement.toString().contains("kms:"));
        Map<String, Object> trust = map(list(map(scanning.properties("MalwareProtectionRole").get("AssumeRolePolicyDocument")).get("Statement")).get(0));
        assertThat(map(trust.get("Principal"))).containsEntry("Service", "malware-protection-plan.guardduty.amazonaws.com");

        String key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
        List<Map<String, Object>> withKms = rolePolicy(SamTemplate.load(ROOT.resolve("template.yaml"),
                Map.of("MalwareScanning", "guardduty", "KmsKeyArn", key)), "MalwareProtectionRole");
        assertThat(IamPolicy.evaluate(withKms, List.of(), new IamPolicy.Request(role, "kms:Decrypt", key, Map.of("kms:ViaService", "s3.us-east-1.amazonaws.com"))))
                .isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(IamPolicy.evaluate(withKms, List.of(), new IamPolicy.Request(role, "kms:Decrypt", key, Map.of("kms:ViaService", "sqs.us-east-1.amazonaws.com"))))
                .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
        assertThat(IamPolicy.evaluate(withKms, List.of(), new IamPolicy.Request(role, "kms:Decrypt",
                "arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555", Map.of("kms:ViaService", "s3.us-east-1.amazonaws.com"))))
                .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
    }

    /**
     * With malware scanning, the distribution reads an original only when GuardDuty tagged it NO_THREATS_FOUND (IAM's
     * evaluation of the bucket policy with the object's tag as {@code s3:ExistingObjectTag/GuardDutyMalwareScanStatus});
     * untagged (not scanned yet, or rejected by the resizer, which replaces the tags) is refused, and with fail-open the
     * scans that did not conclude are served too, never THREATS_FOUND. Variants are untouched. The local edge agrees.
     */
    @Test
    void withMalwareScanningTheDistributionReadsAnOriginalOnlyWhenItsTagSaysItWasScannedClean() {
        String bucketArn = "arn:aws:s3:::mediagate-dev-000000000000-us-east-1";
        String original = "originals/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
        String variant = "variants/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d/thumb.jpg";
        for (boolean failOpen : List.of(false, true)) {
            SamTemplate scanning = SamTemplate.load(ROOT.resolve("template.yaml"),
                    Map.of("MalwareScanning", "guardduty", "MalwareScanFailOpen", String.valueOf(failOpen)));
            List<Map<String, Object>> policy = IamPolicy.bucketPolicy(scanning, bucketArn);
            String distribution = policy.stream().map(statement -> map(map(statement.get("Condition")).get("StringEquals")).get("AWS:SourceArn"))
                    .filter(java.util.Objects::nonNull).map(String::valueOf).findFirst().orElseThrow();
            CdnOriginReads local = CdnOriginReads.from(scanning);
            Map<String, Boolean> readableWithTag = new LinkedHashMap<>();
            readableWithTag.put("NO_THREATS_FOUND", true);
            readableWithTag.put("THREATS_FOUND", false);
            readableWithTag.put("FAILED", failOpen);
            readableWithTag.put("UNSUPPORTED", failOpen);
            readableWithTag.put("ACCESS_DENIED", failOpen);
            readableWithTag.put("no_threats_found", false);
            readableWithTag.put(null, false);
            readableWithTag.forEach((tag, readable) -> {
                Map<String, String> context = new java.util.HashMap<>(Map.of("AWS:SourceArn", distribution, "aws:SecureTransport", "true"));
                Map<String, String> tags = tag == null ? Map.of() : Map.of("GuardDutyMalwareScanStatus", tag);
                if (tag != null) {
                    context.put("s3:ExistingObjectTag/GuardDutyMalwareScanStatus", tag);
                }
                String as = "fail-open " + failOpen + ", tag " + tag;
                assertThat(IamPolicy.evaluate(List.of(), policy, new IamPolicy.Request("cloudfront.amazonaws.com", "s3:GetObject",
                        bucketArn + "/" + original, context))).as(as)
                        .isEqualTo(readable ? IamPolicy.Decision.ALLOW : IamPolicy.Decision.EXPLICIT_DENY);
                assertThat(local.mayRead(original, () -> tags)).as("local edge: " + as).isEqualTo(readable);
                assertThat(IamPolicy.evaluate(List.of(), policy, new IamPolicy.Request("cloudfront.amazonaws.com", "s3:GetObject",
                        bucketArn + "/" + variant, context))).as("variant, " + as).isEqualTo(IamPolicy.Decision.ALLOW);
                assertThat(local.mayRead(variant, () -> tags)).as("local edge: variant, " + as).isTrue();
            });
        }
        assertThat(CdnOriginReads.from(template).mayRead(original, Map::of)).as("without scanning, untagged originals are served").isTrue();
    }

    /**
     * With malware scanning, only GuardDuty's role makes an original servable through GuardDutyMalwareScanStatus (the
     * GuardDuty User Guide's TBAC page: no one else may modify its tags). The resizer, which may tag originals, is
     * refused a tag set (or a version's, or an upload) that would raise the tag to a value the CDN serves, and allowed
     * what its merged tag set needs: its own tags, and GuardDuty's value sent back unchanged (THREATS_FOUND kept as
     * evidence, NO_THREATS_FOUND kept on a clean file it rejected). Evaluated as IAM would, with fail-open off and on.
     */
    @Test
    void withMalwareScanningOnlyGuardDutysRoleMakesAnOriginalServableThroughItsTag() {
        String original = "originals/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
        for (boolean failOpen : List.of(false, true)) {
            SamTemplate scanning = SamTemplate.load(ROOT.resolve("template.yaml"),
                    Map.of("MalwareScanning", "guardduty", "MalwareScanFailOpen", String.valueOf(failOpen)));
            String bucketArn = "arn:aws:s3:::" + scanning.resolve(scanning.properties("MediaBucket").get("BucketName"));
            List<Map<String, Object>> bucketPolicy = IamPolicy.bucketPolicy(scanning, bucketArn);
            List<Map<String, Object>> resizer = IamPolicy.functionPolicy(scanning, "ImageResizerFunction");
            List<Map<String, Object>> guardDuty = rolePolicy(scanning, "MalwareProtectionRole");
            // request tag value (null: the request carries none), existing tag value (null: none) -> the resizer may
            record Case(String action, String requested, String existing, boolean resizerMay) {
            }
            List<Case> cases = new ArrayList<>(List.of(
                    new Case("s3:PutObjectTagging", "NO_THREATS_FOUND", null, false),
                    new Case("s3:PutObjectTagging", "NO_THREATS_FOUND", "THREATS_FOUND", false),
                    new Case("s3:PutObjectVersionTagging", "NO_THREATS_FOUND", "THREATS_FOUND", false),
                    new Case("s3:PutObjectTagging", "FAILED", "THREATS_FOUND", !failOpen),
                    new Case("s3:PutObjectTagging", "UNSUPPORTED", null, !failOpen),
                    new Case("s3:PutObjectTagging", "NO_THREATS_FOUND", "NO_THREATS_FOUND", true),
                    new Case("s3:PutObjectTagging", "THREATS_FOUND", "THREATS_FOUND", true),
                    new Case("s3:PutObjectTagging", "THREATS_FOUND", "NO_THREATS_FOUND", true),
                    new Case("s3:PutObjectTagging", null, "NO_THREATS_FOUND", true),
                    new Case("s3:PutObjectTagging", null, null, true)));
            for (Case c : cases) {
                Map<String, String> context = new java.util.HashMap<>(Map.of("aws:SecureTransport", "true"));
                if (c.requested() != null) {
                    context.put("s3:RequestObjectTag/GuardDutyMalwareScanStatus", c.requested());
                }
                if (c.existing() != null) {
                    context.put("s3:ExistingObjectTag/GuardDutyMalwareScanStatus", c.existing());
                }
                String as = "fail-open " + failOpen + ": " + c;
                IamPolicy.Decision byResizer = IamPolicy.evaluate(resizer, bucketPolicy,
                        new IamPolicy.Request("${ImageResizerFunctionRole.Arn}", "s3:PutObjectTagging", bucketArn + "/" + original, context));
                IamPolicy.Decision byResizerAsAsked = IamPolicy.evaluate(List.of(Map.of("Effect", "Allow", "Action", "s3:*", "Resource", "*")),
                        bucketPolicy, new IamPolicy.Request("${ImageResizerFunctionRole.Arn}", c.action(), bucketArn + "/" + original, context));
                assertThat(byResizer).as("resizer, " + as).isEqualTo(c.resizerMay() ? IamPolicy.Decision.ALLOW : IamPolicy.Decision.EXPLICIT_DENY);
                assertThat(byResizerAsAsked).as("any role, " + as).isEqualTo(c.resizerMay() ? IamPolicy.Decision.ALLOW : IamPolicy.Decision.EXPLICIT_DENY);
                if (c.action().equals("s3:PutObjectTagging")) {
                    assertThat(IamPolicy.evaluate(guardDuty, bucketPolicy, new IamPolicy.Request("${MalwareProtectionRole.Arn}",
                            c.action(), bucketArn + "/" + original, context))).as("GuardDuty, " + as).isEqualTo(IamPolicy.Decision.ALLOW);
                }
            }
            // An upload carrying the tag: S3 has no existing tags to compare on PutObject, so it is always refused.
            assertThat(IamPolicy.evaluate(List.of(Map.of("Effect", "Allow", "Action", "s3:*", "Resource", "*")), bucketPolicy,
                    new IamPolicy.Request("arn:aws:iam::000000000000:role/operator", "s3:PutObject", bucketArn + "/" + original,
                            Map.of("aws:SecureTransport", "true", "s3:RequestObjectTag/GuardDutyMalwareScanStatus", "NO_THREATS_FOUND"))))
                    .as("fail-open " + failOpen + ": an upload tagged clean").isEqualTo(IamPolicy.Decision.EXPLICIT_DENY);
        }
        assertThat(IamPolicy.bucketPolicy(template, "arn:aws:s3:::b").toString()).as("without scanning")
                .doesNotContain("GuardDutyMalwareScanStatus");
    }

    private static List<Map<String, Object>> rolePolicy(SamTemplate template, String role) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : list(template.properties(role).get("Policies"))) {
            list(template.evaluate(map(map(policy).get("PolicyDocument")).get("Statement"))).forEach(statement -> statements.add(map(statement)));
        }
        return statements;
    }

    private List<Map<String, Object>> s3Statements(String function) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : list(template.properties(function).get("Policies"))) {
            for (Object statement : list(map(policy).get("Statement"))) {
                Map<String, Object> s = map(statement);
                if (list(s.get("Action")).stream().anyMatch(a -> String.valueOf(a).startsWith("s3:"))) {
                    statements.add(s);
                }
            }
        }
        return statements;
    }
}
