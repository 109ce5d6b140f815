package dev.mediagate.local.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.sam.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 Inventory, locally: the media bucket's {@code InventoryConfigurations} of template.yaml, each written as a report
 * when asked (S3 writes one a day, up to 48 hours after it was set up) in S3's layout and CSV format (S3 User Guide,
 * "Locating your inventory list"): {@code {Destination Prefix}/{source bucket}/{Id}/YYYY-MM-DDTHH-MMZ/manifest.json}
 * naming gzipped CSV files under {@code …/{Id}/data/}, every field quoted, keys URL-encoded, the manifest written last.
 * So the repair sweep reads here exactly what it reads in AWS. A listing of the local bucket makes it: a local bucket is
 * small.
 */
public final class LocalInventory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm'Z'").withZone(ZoneOffset.UTC);

    /** One inventory configuration: what it lists and where its reports go. */
    record Configuration(String id, String sourcePrefix, String destinationBucket, String destinationPrefix, List<String> optionalFields) {
    }

    private final String sourceBucket;
    private final List<Configuration> configurations;

    private LocalInventory(String sourceBucket, List<Configuration> configurations) {
        this.sourceBucket = sourceBucket;
        this.configurations = configurations;
    }

    /** The configurations of {@code MediaBucket}; their destination is a bucket of the template, named as it names it. */
    public static LocalInventory from(SamTemplate template, String mediaBucket) {
        List<Configuration> configurations = new ArrayList<>();
        for (Object item : SamTemplate.list(template.evaluate(template.properties("MediaBucket").get("InventoryConfigurations")))) {
            Map<String, Object> configuration = SamTemplate.map(item);
            if (!"true".equals(String.valueOf(configuration.get("Enabled")))) {
                continue;
            }
            Map<String, Object> destination = SamTemplate.map(configuration.get("Destination"));
            String arn = String.valueOf(destination.get("BucketArn"));
            String bucketId = arn.replaceAll("^\\$\\{(.+)\\.Arn}$", "$1");
            String bucket = template.resolve(template.properties(bucketId).get("BucketName"));
            configurations.add(new Configuration(String.valueOf(configuration.get("Id")),
                    String.valueOf(configuration.getOrDefault("Prefix", "")), bucket,
                    String.valueOf(destination.getOrDefault("Prefix", "")),
                    SamTemplate.list(configuration.get("OptionalFields")).stream().map(String::valueOf).toList()));
        }
        return new LocalInventory(mediaBucket, List.copyOf(configurations));
    }

    /** The buckets reports go to (the local stack creates them). */
    public List<String> destinationBuckets() {
        return configurations.stream().map(Configuration::destinationBucket).distinct().toList();
    }

    /** Writes one report per configuration, as S3 would at {@code scanStartedAt}; returns the manifests' keys. */
    public List<String> deliver(S3Client s3, Instant scanStartedAt) {
        List<String> manifests = new ArrayList<>();
        for (Configuration configuration : configurations) {
            String base = (configuration.destinationPrefix().isEmpty() ? "" : configuration.destinationPrefix() + "/")
                    + sourceBucket + "/" + configuration.id() + "/";
            StringBuilder csv = new StringBuilder();
            for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(sourceBucket).prefix(configuration.sourcePrefix())).contents()) {
                List<String> fields = new ArrayList<>(List.of(sourceBucket,
                        URLEncoder.encode(object.key(), StandardCharsets.UTF_8)));
                for (String field : configuration.optionalFields()) {
                    fields.add(switch (field) {
                        case "Size" -> String.valueOf(object.size());
                        case "LastModifiedDate" -> object.lastModified().toString();
                        case "ETag" -> object.eTag().replace("\"", "");
                        default -> "";
                    });
                }
                csv.append(String.join(",", fields.stream().map(f -> "\"" + f.replace("\"", "\"\"") + "\"").toList())).append('\n');
            }
            byte[] data = gzip(csv.toString().getBytes(StandardCharsets.UTF_8));
            String dataKey = base + "data/" + UUID.randomUUID() + ".csv.gz";
            s3.putObject(p -> p.bucket(configuration.destinationBucket()).key(dataKey), RequestBody.fromBytes(data));
            ObjectNode manifest = JSON.createObjectNode().put("sourceBucket", sourceBucket)
                    .put("destinationBucket", "arn:aws:s3:::" + configuration.destinationBucket()).put("version", "2016-11-30")
                    .put("creationTimestamp", String.valueOf(scanStartedAt.toEpochMilli())).put("fileFormat", "CSV")
                    .put("fileSchema", String.join(", ", concat(List.of("Bucket", "Key"), configuration.optionalFields())));
            manifest.putArray("files").addObject().put("key", dataKey).put("size", data.length).put("MD5checksum", md5(data));
            String manifestKey = base + FOLDER.format(scanStartedAt) + "/manifest.json";
            try {
                byte[] body = JSON.writeValueAsBytes(manifest);
                s3.putObject(p -> p.bucket(configuration.destinationBucket()).key(manifestKey), RequestBody.fromBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            manifests.add(manifestKey);
        }
        return manifests;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
