package dev.mediagate.api.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Owner;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.local.cdn.CloudFrontVerifier;
import dev.mediagate.testing.RequiredTools;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CdnSignerTest {

    private static final String CDN = "https://d111111abcdef8.cloudfront.net";
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private final KeyPair keys = CdnKeys.pair();
    private final Owner alice = Owner.of("https://auth.example.com/", "alice");
    private final FileId fileId = FileId.parse("0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d").orElseThrow();
    private final CloudFrontVerifier verifier = new CloudFrontVerifier(Map.of("K2MEDIAGATETEST", keys.getPublic()));

    private CdnSigner signer(Instant now) {
        return new CdnSigner(CDN, "K2MEDIAGATETEST", keys.getPrivate(), Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void theOriginalGetsItsOwnCannedUrlAndOneCustomPolicyCoversEveryVariantOfAFile() {
        CdnSigner signer = signer(NOW);
        List<String> keys = List.of(original(), variant("thumb.jpg"), variant("medium.jpg"), variant("large.jpg"));

        CdnSigner.Links links = signer.fileLinks(alice, fileId, keys);

        assertThat(signer.signatures()).isEqualTo(2);
        assertThat(links.urls().get(original())).contains("?Expires=").doesNotContain("Policy=");
        assertThat(links.urls().get(variant("thumb.jpg"))).contains("?Policy=");
        assertThat(links.urls()).hasSize(4);
        links.urls().values().forEach(url -> assertThat(refusal(url, NOW.plusSeconds(60))).as(url).isNull());
    }

    @Test
    void aRepeatedViewWithinTheWindowSignsNothing() {
        CdnSigner signer = signer(NOW);
        List<String> keys = List.of(original(), variant("thumb.jpg"));
        CdnSigner.Links first = signer.fileLinks(alice, fileId, keys);

        CdnSigner.Links again = signer(NOW).fileLinks(alice, fileId, keys);
        CdnSigner.Links later = signer.fileLinks(alice, fileId, keys);

        assertThat(signer.signatures()).isEqualTo(2);
        assertThat(later).isEqualTo(first);
        assertThat(again.urls()).isEqualTo(first.urls());
    }

    @Test
    void urlsLiveBetweenTheTtlAndTheTtlPlusOneWindow() {
        CdnSigner.Links links = signer(NOW.plusSeconds(7)).fileLinks(alice, fileId, List.of(original()));

        assertThat(links.expiresAt()).isBetween(NOW.plusSeconds(607), NOW.plusSeconds(607 + 300));
        assertThat(links.expiresAt().getEpochSecond() % 300).isZero();
    }

    @Test
    void aSingleObjectGetsACannedPolicy() {
        CdnSigner.Links links = signer(NOW).fileLinks(alice, fileId, List.of(original()));

        assertThat(links.urls().get(original())).contains("?Expires=").contains("&Signature=").contains("&Key-Pair-Id=K2MEDIAGATETEST");
    }

    @Test
    void nothingButTheFilesOriginalAndVariantsIsEverSigned() {
        CdnSigner signer = signer(NOW);
        Owner bob = Owner.of("https://auth.example.com/", "bob");

        for (String key : List.of("originals/" + bob + "/" + fileId, "variants/" + bob + "/" + fileId + "/thumb.jpg",
                "variants/" + alice + "/" + fileId + "/", "variants/" + alice + "/" + fileId + "0/thumb.jpg", "shares/x.json")) {
            assertThatThrownBy(() -> signer.fileLinks(alice, fileId, List.of(original(), key))).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(signer.signatures()).isZero();
    }

    @Test
    void theVerifierMatchesPoliciesAgainstTheQueryStringToo() {
        String canned = signer(NOW).fileLinks(alice, fileId, List.of(original())).urls().get(original());
        String custom = signer(NOW).fileLinks(alice, fileId, List.of(variant("thumb.jpg"))).urls().get(variant("thumb.jpg"));

        assertThat(refusal(canned, NOW)).isNull();
        assertThat(refusal(canned.replace("?", "?size=large&"), NOW)).as("a canned policy names the URL, query included")
                .contains("signature");
        assertThat(refusal(custom.replace("?", "?size=large&"), NOW)).as("a trailing * covers a query string").isNull();
        assertThat(CloudFrontVerifier.resourceMatches(CDN + "/*game_download.zip*", CDN + "/example_game_download.zip?license=yes"))
                .as("the developer guide's own example").isTrue();
        assertThat(CloudFrontVerifier.resourceUrl(CDN, "/a.jpg", "size=large&Policy=p&Signature=s&Key-Pair-Id=k&Hash-Algorithm=SHA256"))
                .isEqualTo(CDN + "/a.jpg?size=large");
    }

    @Test
    void theVerifierRefusesTamperedResourceExpirySignatureAndKeyId() {
        String url = signer(NOW).fileLinks(alice, fileId, List.of(original(), variant("thumb.jpg"))).urls().get(variant("thumb.jpg"));
        String canned = signer(NOW).fileLinks(alice, fileId, List.of(original())).urls().get(original());
        Owner bob = Owner.of("https://auth.example.com/", "bob");

        assertThat(refusal(url.replace(alice.value(), bob.value()), NOW)).contains("resource");
        assertThat(refusal(url.replace(fileId.value(), "1b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d"), NOW)).contains("resource");
        assertThat(refusal(url, NOW.plus(Duration.ofHours(1)))).isEqualTo("expired");
        assertThat(refusal(canned.replaceFirst("Expires=(\\d+)", "Expires=9999999999"), NOW)).contains("signature");
        assertThat(refusal(url.replaceFirst("Signature=(.)", "Signature=" + (url.contains("Signature=A") ? "B" : "A")), NOW)).contains("signature");
        assertThat(refusal(url.replace("Key-Pair-Id=K2MEDIAGATETEST", "Key-Pair-Id=K2OTHERKEY"), NOW)).contains("not trusted");
    }

    @Test
    void theVerifierRefusesASignatureMadeWithAnotherKeyUnderTheSameId() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        CdnSigner impostor = new CdnSigner(CDN, "K2MEDIAGATETEST", generator.generateKeyPair().getPrivate(),
                Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));

        String url = impostor.fileLinks(alice, fileId, List.of(original())).urls().get(original());

        assertThat(refusal(url, NOW)).contains("signature");
    }

    @Test
    void ownerCookiesCoverThatOwnersVariantsOnly() {
        CdnSigner.Cookies cookies = signer(NOW).ownerCookies(alice);
        Map<String, String> credentials = Map.of("Policy", cookies.policy(), "Signature", cookies.signature(),
                "Key-Pair-Id", cookies.keyPairId());

        assertThat(verifier.refusal(CDN + "/" + variant("thumb.jpg"), credentials, "203.0.113.7", NOW)).isEmpty();
        assertThat(verifier.refusal(CDN + "/" + original(), credentials, "203.0.113.7", NOW)).isPresent();
        assertThat(verifier.refusal(CDN + "/variants/" + Owner.of("https://auth.example.com/", "bob") + "/x/thumb.jpg",
                credentials, "203.0.113.7", NOW)).isPresent();
    }

    @Test
    void cannedUrlsEqualWhatTheAwsCliSignsByteForByte() throws Exception {
        File aws = RequiredTools.require("aws", "the AWS CLI, the reference CloudFront signer (apt-get install awscli)").toFile();
        CdnSigner.Links links = signer(NOW).fileLinks(alice, fileId, List.of(original()));
        String url = CDN + "/" + original();

        // AWS CLI v1 reads only PKCS#1 keys ("BEGIN RSA PRIVATE KEY"); v2 reads both.
        File pkcs1 = File.createTempFile("cloudfront-private-pkcs1", ".pem");
        pkcs1.deleteOnExit();
        Process convert = new ProcessBuilder(RequiredTools.require("openssl", "openssl").toString(), "rsa", "-traditional",
                "-in", CdnKeys.privateKeyFile().toString(), "-out", pkcs1.getPath()).redirectErrorStream(true).start();
        assertThat(convert.waitFor()).as(new String(convert.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Process process = new ProcessBuilder(aws.getPath(), "cloudfront", "sign", "--url", url, "--key-pair-id", "K2MEDIAGATETEST",
                "--private-key", "file://" + pkcs1, "--date-less-than", String.valueOf(links.expiresAt().getEpochSecond()))
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String cli = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

        assertThat(process.waitFor()).as(cli).isZero();
        assertThat(links.urls().get(original())).isEqualTo(cli);
    }

    @Test
    void customPolicyUrlsAndCookiesVerifyWithOpensslAgainstThePublicKey() throws Exception {
        CdnSigner.Links links = signer(NOW).fileLinks(alice, fileId, List.of(original(), variant("thumb.jpg")));
        Map<String, String> query = queryOf(links.urls().get(variant("thumb.jpg")));
        CdnSigner.Cookies cookies = signer(NOW).ownerCookies(alice);

        String urlPolicy = opensslVerifies(query.get("Policy"), query.get("Signature"));
        String cookiePolicy = opensslVerifies(cookies.policy(), cookies.signature());

        long expiry = links.expiresAt().getEpochSecond();
        assertThat(urlPolicy).isEqualTo("{\"Statement\":[{\"Resource\":\"" + CDN + "/variants/" + alice + "/" + fileId
                + "/*\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + expiry + "}}}]}");
        assertThat(cookiePolicy).contains("\"Resource\":\"" + CDN + "/variants/" + alice + "/*\"")
                .contains("\"AWS:EpochTime\":" + cookies.expiresAt().getEpochSecond());
        String widened = cloudFrontBase64(urlPolicy.replace("/variants/" + alice, "/*/" + alice).getBytes(StandardCharsets.UTF_8));
        assertThat(opensslSays(widened, query.get("Signature"))).as("a policy changed after signing").contains("Verification failure");
    }

    /** The policy, decoded, once openssl has verified its SHA-1 RSA signature with the public key (CloudFront's check). */
    private String opensslVerifies(String policy, String signature) throws Exception {
        assertThat(opensslSays(policy, signature)).contains("Verified OK");
        return new String(fromCloudFrontBase64(policy), StandardCharsets.UTF_8);
    }

    private String opensslSays(String policy, String signature) throws Exception {
        Path work = Files.createTempDirectory("openssl-verify");
        Path publicKey = Files.writeString(work.resolve("public.pem"), CdnKeys.pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        Path policyFile = Files.write(work.resolve("policy.json"), fromCloudFrontBase64(policy));
        Path signatureFile = Files.write(work.resolve("signature.bin"), fromCloudFrontBase64(signature));
        Process openssl = new ProcessBuilder(RequiredTools.require("openssl", "openssl").toString(), "dgst", "-sha1", "-verify",
                publicKey.toString(), "-signature", signatureFile.toString(), policyFile.toString()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        openssl.waitFor();
        return output;
    }

    /** CloudFront's URL-safe base64: {@code -} for {@code +}, {@code _} for {@code =}, {@code ~} for {@code /}. */
    private static byte[] fromCloudFrontBase64(String value) {
        return Base64.getDecoder().decode(value.replace('-', '+').replace('_', '=').replace('~', '/'));
    }

    private static String cloudFrontBase64(byte[] value) {
        return Base64.getEncoder().encodeToString(value).replace('+', '-').replace('=', '_').replace('/', '~');
    }

    private static Map<String, String> queryOf(String signedUrl) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : URI.create(signedUrl).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return query;
    }

    /** As the edge checks a request for this URL: the whole URL, query string included, minus the signing parameters. */
    private String refusal(String signedUrl, Instant now) {
        Map<String, String> query = queryOf(signedUrl);
        URI uri = URI.create(signedUrl);
        String resource = CloudFrontVerifier.resourceUrl(CDN, uri.getRawPath(), uri.getRawQuery());
        return verifier.refusal(resource, query, "203.0.113.7", now).orElse(null);
    }

    private String original() {
        return "originals/" + alice + "/" + fileId;
    }

    private String variant(String name) {
        return "variants/" + alice + "/" + fileId + "/" + name;
    }
}
