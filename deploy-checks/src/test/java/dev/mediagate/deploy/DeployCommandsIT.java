package dev.mediagate.deploy;

import static dev.mediagate.local.sam.SamTemplate.list;
import static dev.mediagate.local.sam.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.testing.DocBlocks;
import dev.mediagate.testing.RequiredTools;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

/**
 * The deploy and signing-key commands of docs/deploy.md (its blocks marked {@code <!-- test: deploy-commands -->}),
 * run as a person would paste them: {@code openssl} makes the keys,
 * the real AWS CLI sends them to a local endpoint that records each request, {@code sed} edits a copy of
 * {@code samconfig.toml}, and each {@code sam deploy --config-env} is evaluated against template.yaml with that
 * environment's parameters as SAM CLI parses them.
 */
class DeployCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Commands that need AWS itself or a build: their effect is covered elsewhere (SamBuildLayoutIT, the template tests). */
    private static final List<String> NOT_RUN_HERE = List.of("./mvnw install", "sam build", "sam delete", "aws s3 rb");

    @TempDir
    Path work;

    private final Queue<Map<String, String>> awsRequests = new ConcurrentLinkedQueue<>();
    private final Map<String, List<String>> deployedSlots = new java.util.LinkedHashMap<>();
    private final Map<String, List<String>> downloadUrlTtls = new java.util.LinkedHashMap<>();

    @Test
    void theDeployAndRotationCommandsSendWholeKeysAndDeployTheSlotsTheySay() throws Exception {
        Path aws = RequiredTools.require("aws", "the AWS CLI (apt-get install awscli)");
        RequiredTools.require("openssl", "openssl");
        Files.copy(TemplateTest.ROOT.resolve("samconfig.toml"), work.resolve("samconfig.toml"));
        // prod's first deploy, as the docs' for dev: its slot a exists before the rotation starts.
        awsRequests.add(Map.of("target", "first deploy", "Name", "/mediagate/prod/cdn-public-key-a"));
        awsRequests.add(Map.of("target", "first deploy", "Name", "mediagate/prod/cdn-private-key-a"));
        HttpServer endpoint = recordingEndpoint();
        try {
            for (String command : commands()) {
                if (command.startsWith("sam deploy")) {
                    deploy(command);
                } else if (command.startsWith("aws ssm") || command.startsWith("aws secretsmanager")) {
                    run(command.replaceFirst("^aws ", aws + " ") + " --endpoint-url http://127.0.0.1:" + endpoint.getAddress().getPort());
                } else if (command.startsWith("openssl ") || command.startsWith("shred ") || command.startsWith("sed ")) {
                    if (command.startsWith("sed ")) {
                        // GNU sed takes -i alone, BSD and macOS sed the next word as a backup suffix: only an attached
                        // one means the same to both.
                        assertThat(command).as("portable in-place sed").matches("^sed -i\\.bak .* && rm samconfig\\.toml\\.bak$");
                    }
                    run(command);
                } else {
                    assertThat(NOT_RUN_HERE).as("a documented command this test neither runs nor knows: " + command)
                            .anyMatch(command::startsWith);
                }
            }
        } finally {
            endpoint.stop(0);
        }

        assertThat(deployedSlots.get("dev")).as("dev: first deploy, then a configuration change").containsExactly("a/a", "a/a");
        assertThat(downloadUrlTtls.get("dev")).as("the configuration change reaches the API").containsExactly("600", "900");
        assertThat(deployedSlots.get("prod")).as("prod's rotation").containsExactly("a+b/a", "a+b/b", "b/b");
        List<Map<String, String>> keys = new ArrayList<>(awsRequests).stream().filter(r -> r.get("target").endsWith("PutParameter")).toList();
        List<Map<String, String>> secrets = new ArrayList<>(awsRequests).stream().filter(r -> r.get("target").endsWith("CreateSecret")).toList();
        // Slot b's parameter exists from the first deploy (a copy of a's public key) until a rotation overwrites it.
        assertThat(keys).extracting(r -> r.get("Name"))
                .containsExactly("/mediagate/dev/cdn-public-key-a", "/mediagate/dev/cdn-public-key-b", "/mediagate/prod/cdn-public-key-b");
        assertThat(keys.get(1).get("Value")).isEqualTo(keys.get(0).get("Value"));
        assertThat(secrets).extracting(r -> r.get("Name")).containsExactly("mediagate/dev/cdn-private-key-a", "mediagate/prod/cdn-private-key-b");
        for (Map<String, String> secret : secrets) {
            String parameter = "/" + secret.get("Name").replace("cdn-private-key-", "cdn-public-key-");
            Map<String, String> key = keys.stream().filter(k -> k.get("Name").equals(parameter)).reduce((first, last) -> last).orElseThrow();
            assertThat(modulus(secret.get("SecretString"))).as("the secret is the private half of the parameter's key")
                    .isEqualTo(publicModulus(key.get("Value")));
        }
        assertThat(new ArrayList<>(awsRequests)).filteredOn(r -> r.get("target").equals("AmazonSSM.DeleteParameter"))
                .extracting(r -> r.get("Name")).containsExactly("/mediagate/dev/cdn-public-key-a", "/mediagate/dev/cdn-public-key-b");
        assertThat(new ArrayList<>(awsRequests)).extracting(r -> r.get("target")).contains("secretsmanager.DeleteSecret");
    }

    /** What CloudFormation would be given: the edited environment's parameters, checked against the template's rules. */
    private void deploy(String command) throws Exception {
        Matcher environment = Pattern.compile("--config-env (\\S+)").matcher(command);
        assertThat(environment.find()).as(command).isTrue();
        String name = environment.group(1);
        String overrides = Toml.parse(work.resolve("samconfig.toml")).getString(name + ".deploy.parameters.parameter_overrides");
        Map<String, String> parameters = SamCliParameterOverrides.parse(overrides);
        SamTemplate template = SamTemplate.load(TemplateTest.ROOT.resolve("template.yaml"), parameters);

        for (String rule : map(template.root().get("Rules")).keySet()) {
            assertThat(template.rule(rule)).as(command + ": rule " + rule).isTrue();
        }
        Map<String, String> environmentOfApi = template.environment("MediaApiFunction");
        String secret = environmentOfApi.get("CDN_PRIVATE_KEY_SECRET_ID");
        assertThat(awsRequests).as(command + ": the docs created the signing secret first")
                .anyMatch(r -> secret.equals(r.get("Name")) || secret.equals(r.get("SecretId")));
        for (Object key : list(map(template.evaluate(template.properties("CdnKeyGroup").get("KeyGroupConfig"))).get("Items"))) {
            String encodedKey = template.resolve(map(template.properties(String.valueOf(key)).get("PublicKeyConfig")).get("EncodedKey"));
            String parameter = encodedKey.replaceFirst("^\\{\\{resolve:ssm:(.+)}}$", "$1");
            assertThat(awsRequests).as(command + ": the docs put " + parameter + " first").anyMatch(r -> parameter.equals(r.get("Name")));
        }
        deployedSlots.computeIfAbsent(name, n -> new ArrayList<>())
                .add(parameters.get("CdnKeySlots") + "/" + parameters.get("CdnActiveKeySlot"));
        downloadUrlTtls.computeIfAbsent(name, n -> new ArrayList<>()).add(environmentOfApi.get("DOWNLOAD_URL_TTL_SECONDS"));
    }

    private void run(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_PAGER", "", "AWS_CONFIG_FILE", work.resolve("no-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(command + "\n" + output).isZero();
    }

    /** Records each AWS JSON-protocol request (its X-Amz-Target and top-level string fields) and answers as AWS would. */
    private HttpServer recordingEndpoint() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Map<String, String> request = new java.util.HashMap<>();
            request.put("target", target);
            body.properties().forEach(field -> request.put(field.getKey(), field.getValue().asText()));
            awsRequests.add(request);
            String answer = switch (target) {
                case "AmazonSSM.PutParameter" -> "{\"Version\":1,\"Tier\":\"Standard\"}";
                case "secretsmanager.CreateSecret", "secretsmanager.DeleteSecret" -> "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:"
                        + body.path("Name").asText(body.path("SecretId").asText()) + "-AbCdEf\",\"Name\":\"x\"}";
                default -> "{}";
            };
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The shell commands of the documentation's blocks marked {@code deploy-commands}, in order (comments left out). */
    private static List<String> commands() {
        List<String> commands = new ArrayList<>();
        for (String block : DocBlocks.marked(TemplateTest.ROOT, "deploy-commands")) {
            for (String line : block.lines().toList()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    commands.add(line.strip());
                }
            }
        }
        assertThat(commands).as("the deploy and key rotation commands (docs/deploy.md)").isNotEmpty();
        return commands;
    }

    private static BigInteger modulus(String privatePem) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(privatePem.replaceAll("-----[A-Z ]+-----", ""));
        return ((RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der))).getModulus();
    }

    private static BigInteger publicModulus(String publicPem) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(publicPem.replaceAll("-----[A-Z ]+-----", ""));
        return ((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der))).getModulus();
    }
}
