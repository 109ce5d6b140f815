package dev.mediagate.local.s3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.auth.AwsSignature;
import org.gaul.s3proxy.auth.S3AuthorizationHeader;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * S3's object tags in front of S3Proxy, which has none (it answers {@code ?tagging} and the {@code x-amz-tagging}
 * headers 501): GetObjectTagging, PutObjectTagging and DeleteObjectTagging on an object, and the tag set of PutObject
 * ({@code x-amz-tagging}) and CopyObject ({@code x-amz-tagging-directive} COPY, the default, or REPLACE with
 * {@code x-amz-tagging}), kept in {@link ObjectTags}. Every request it answers or passes on with tags is authenticated
 * first, with S3Proxy's own Signature Version 4 code and the local key; S3Proxy checks a PutObject or CopyObject again,
 * body included, before it stores anything. Tagging a multipart upload, a version or a bucket stays refused as before.
 * The tag rules are S3's (S3 User Guide, "Categorizing your objects using tags"): at most 10 tags, unique keys of at most
 * 128 characters, values of at most 256, letters, digits, spaces and {@code + - = . _ : / @}, no {@code aws:} keys.
 */
final class ObjectTagging implements Filter {

    static final String TAGGING = "x-amz-tagging";
    static final String TAGGING_DIRECTIVE = "x-amz-tagging-directive";
    private static final int MAX_TAGS = 10;
    private static final int MAX_BODY = 64 * 1024;
    private static final Pattern TAG_CHARACTERS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** S3's allowed clock skew for a header-signed request. */
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX").withZone(ZoneOffset.UTC);

    /** What the request being served says the new object's tags are: empty for CopyObject's COPY (the source's). */
    private record Requested(String bucket, String key, Optional<Map<String, String>> tags) {
    }

    private static final ThreadLocal<Requested> REQUESTED = new ThreadLocal<>();

    private final ObjectTags tags;
    private final BlobStore store;
    private final String accessKey;
    private final String secretKey;

    ObjectTagging(ObjectTags tags, BlobStore store, String accessKey, String secretKey) {
        this.tags = tags;
        this.store = store;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * The tags the request now being served gives the object it creates, when it names them; S3Proxy stores an object
     * on the request's own thread, so {@link TaggingBlobStore} finds them here.
     */
    static Optional<Map<String, String>> requested(String bucket, String key) {
        Requested requested = REQUESTED.get();
        return requested != null && requested.bucket().equals(bucket) && requested.key().equals(key) ? requested.tags() : Optional.empty();
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        String[] path = request.getRequestURI().split("/", 3);
        boolean onAnObject = path.length == 3 && !path[2].isEmpty();
        boolean subresource = request.getParameter("tagging") != null;
        boolean putWithTags = "PUT".equals(request.getMethod()) && (request.getHeader(TAGGING) != null || request.getHeader(TAGGING_DIRECTIVE) != null);
        boolean ofAPart = request.getParameter("uploadId") != null || request.getParameter("partNumber") != null;
        if (!onAnObject || ofAPart || request.getParameter("versionId") != null || !(subresource || putWithTags)) {
            chain.doFilter(request, response);
            return;
        }
        String bucket = URLDecoder.decode(path[1], StandardCharsets.UTF_8);
        String key = URLDecoder.decode(path[2], StandardCharsets.UTF_8);
        try {
            if (subresource) {
                tagging(request, response, bucket, key);
                return;
            }
            authenticate(request, null);
            Optional<Map<String, String>> requested = newObjectTags(request);
            REQUESTED.set(new Requested(bucket, key, requested));
            try {
                chain.doFilter(new TaggingHeadersUnlisted(request), response);
            } finally {
                REQUESTED.remove();
            }
        } catch (S3Error e) {
            error(response, e, "/" + bucket + "/" + key);
        }
    }

    /** PutObject's {@code x-amz-tagging}, or CopyObject's directive: REPLACE with the request's tags, COPY the source's. */
    private static Optional<Map<String, String>> newObjectTags(HttpServletRequest request) throws S3Error {
        String tagging = Optional.ofNullable(request.getHeader(TAGGING)).orElse("");
        if (request.getHeader("x-amz-copy-source") == null) {
            return Optional.of(queryTags(tagging));
        }
        String directive = Optional.ofNullable(request.getHeader(TAGGING_DIRECTIVE)).orElse("COPY");
        return switch (directive) {
            case "COPY" -> Optional.empty();
            case "REPLACE" -> Optional.of(queryTags(tagging));
            default -> throw new S3Error(400, "InvalidArgument", "Unknown tagging directive.");
        };
    }

    private void tagging(HttpServletRequest request, HttpServletResponse response, String bucket, String key)
            throws IOException, S3Error {
        String method = request.getMethod();
        byte[] body = "PUT".equals(method) ? body(request) : null;
        authenticate(request, body);
        if (!store.containerExists(bucket)) {
            throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist");
        }
        if (!store.blobExists(bucket, key)) {
            throw new S3Error(404, "NoSuchKey", "The specified key does not exist.");
        }
        switch (method) {
            case "GET" -> {
                StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>");
                tags.of(bucket, key).forEach((name, value) -> xml.append("<Tag><Key>").append(escape(name)).append("</Key><Value>")
                        .append(escape(value)).append("</Value></Tag>"));
                xml.append("</TagSet></Tagging>");
                send(response, 200, xml.toString());
            }
            case "PUT" -> {
                verifyChecksums(request, body);
                Map<String, String> tagSet = xmlTags(body);
                if (tagSet.isEmpty()) {
                    tags.remove(bucket, key);
                } else {
                    tags.put(bucket, key, tagSet);
                }
                send(response, 200, null);
            }
            case "DELETE" -> {
                tags.remove(bucket, key);
                send(response, 204, null);
            }
            default -> throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
    }

    /**
     * Signature Version 4, as S3Proxy checks it (its {@link AwsSignature}, the local key pair): from the
     * {@code Authorization} header or a presigned URL's query. {@code body} is the whole payload when it was read here;
     * otherwise the signed {@code x-amz-content-sha256} stands for it, and S3Proxy checks the body itself.
     */
    private void authenticate(HttpServletRequest request, byte[] body) throws S3Error {
        String authorization = request.getHeader("Authorization");
        boolean presigned = false;
        if (authorization == null || !S3AuthorizationHeader.hasAwsScheme(authorization)) {
            if (!"AWS4-HMAC-SHA256".equals(request.getParameter("X-Amz-Algorithm"))) {
                throw new S3Error(403, "AccessDenied", "Access Denied");
            }
            String credential = request.getParameter("X-Amz-Credential");
            String signedHeaders = request.getParameter("X-Amz-SignedHeaders");
            String signature = request.getParameter("X-Amz-Signature");
            if (credential == null || signedHeaders == null || signature == null) {
                throw new S3Error(403, "AccessDenied", "Access Denied");
            }
            authorization = "AWS4-HMAC-SHA256 Credential=" + credential + ", requestSignedHeaders=" + signedHeaders + ", Signature=" + signature;
            presigned = true;
        }
        S3AuthorizationHeader header;
        try {
            header = new S3AuthorizationHeader(authorization);
        } catch (IllegalArgumentException e) {
            throw new S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.");
        }
        if (header.getAuthenticationType() != AuthenticationType.AWS_V4) {
            throw new S3Error(400, "InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }
        if (!accessKey.equals(header.getIdentity())) {
            throw new S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        }
        checkTime(request, presigned);
        String contentSha256 = request.getHeader("x-amz-content-sha256");
        String verifiedSha256 = null;
        if (!presigned) {
            if (contentSha256 == null) {
                throw new S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
            }
            if (SHA256_HEX.matcher(contentSha256).matches()) {
                if (body != null && !HexFormat.of().formatHex(digest("SHA-256", body)).equals(contentSha256)) {
                    throw new S3Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
                }
                verifiedSha256 = contentSha256;
            } else if (body != null && !"UNSIGNED-PAYLOAD".equals(contentSha256)) {
                throw new S3Error(501, "NotImplemented", "A chunked (aws-chunked) tagging request is not implemented locally.");
            }
        }
        String expected;
        try {
            expected = AwsSignature.createAuthorizationSignatureV4(request, header, body == null ? new byte[0] : body,
                    request.getRequestURI(), secretKey, presigned, null, verifiedSha256).signature();
        } catch (IOException | GeneralSecurityException e) {
            throw new S3Error(400, "InvalidArgument", "The request cannot be authenticated: " + e.getMessage());
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.getSignature().getBytes(StandardCharsets.UTF_8))) {
            throw new S3Error(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
        }
    }

    private static void checkTime(HttpServletRequest request, boolean presigned) throws S3Error {
        String date = presigned ? request.getParameter("X-Amz-Date") : request.getHeader("x-amz-date");
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(date == null ? "" : date));
        } catch (DateTimeParseException e) {
            throw new S3Error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
        }
        Instant now = Instant.now();
        if (presigned) {
            long expires;
            try {
                expires = Long.parseLong(String.valueOf(request.getParameter("X-Amz-Expires")));
            } catch (NumberFormatException e) {
                throw new S3Error(400, "AuthorizationQueryParametersError", "X-Amz-Expires should be a number");
            }
            if (now.isAfter(signedAt.plusSeconds(expires))) {
                throw new S3Error(403, "AccessDenied", "Request has expired");
            }
        } else if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Error(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        }
    }

    private static byte[] body(HttpServletRequest request) throws IOException, S3Error {
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
        }
        return body;
    }

    /** Content-MD5 and the flexible checksums S3 verifies on a PutObjectTagging body (the SDK always sends one). */
    private static void verifyChecksums(HttpServletRequest request, byte[] body) throws S3Error {
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (String header : List.of("Content-MD5", "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-sha1",
                "x-amz-checksum-sha256", "x-amz-checksum-crc64nvme")) {
            String value = request.getHeader(header);
            if (value != null) {
                try {
                    expected.put(header, Base64.getDecoder().decode(value));
                } catch (IllegalArgumentException e) {
                    throw new S3Error(400, "InvalidDigest", "The Content-MD5 or checksum value that you specified is not valid.");
                }
            }
        }
        for (Map.Entry<String, byte[]> check : expected.entrySet()) {
            byte[] actual = switch (check.getKey()) {
                case "Content-MD5" -> digest("MD5", body);
                case "x-amz-checksum-crc32" -> crc(new CRC32(), body);
                case "x-amz-checksum-crc32c" -> crc(new CRC32C(), body);
                case "x-amz-checksum-sha1" -> digest("SHA-1", body);
                case "x-amz-checksum-sha256" -> digest("SHA-256", body);
                default -> throw new S3Error(501, "NotImplemented", check.getKey() + " is not verified locally.");
            };
            if (!MessageDigest.isEqual(actual, check.getValue())) {
                throw new S3Error(400, "BadDigest", "The " + check.getKey() + " you specified did not match what we received.");
            }
        }
    }

    private static byte[] crc(Checksum checksum, byte[] body) {
        checksum.update(body, 0, body.length);
        long value = checksum.getValue();
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] digest(String algorithm, byte[] body) {
        try {
            return MessageDigest.getInstance(algorithm).digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code x-amz-tagging}: the tag set as URL query parameters. */
    static Map<String, String> queryTags(String header) throws S3Error {
        Map<String, String> tagSet = new LinkedHashMap<>();
        if (header.isEmpty()) {
            return tagSet;
        }
        for (String pair : header.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new S3Error(400, "InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
            }
            add(tagSet, name, value);
        }
        return tagSet;
    }

    /** PutObjectTagging's body: {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>}. */
    static Map<String, String> xmlTags(byte[] body) throws S3Error {
        S3Error malformed = new S3Error(400, "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema.");
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw malformed;
        }
        Element root = document.getDocumentElement();
        List<Element> tagSets = children(root);
        if (!"Tagging".equals(root.getLocalName() == null ? root.getTagName() : root.getLocalName()) || tagSets.size() != 1
                || !"TagSet".equals(tagSets.get(0).getTagName())) {
            throw malformed;
        }
        Map<String, String> tagSet = new LinkedHashMap<>();
        for (Element tag : children(tagSets.get(0))) {
            List<Element> fields = children(tag);
            if (!"Tag".equals(tag.getTagName()) || fields.size() != 2 || !"Key".equals(fields.get(0).getTagName())
                    || !"Value".equals(fields.get(1).getTagName())) {
                throw malformed;
            }
            add(tagSet, fields.get(0).getTextContent(), fields.get(1).getTextContent());
        }
        return tagSet;
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new java.util.ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static void add(Map<String, String> tagSet, String name, String value) throws S3Error {
        if (name.isEmpty() || name.codePointCount(0, name.length()) > 128) {
            throw new S3Error(400, "InvalidTag", "The TagKey you have provided is invalid");
        }
        if (value.codePointCount(0, value.length()) > 256) {
            throw new S3Error(400, "InvalidTag", "The TagValue you have provided is invalid");
        }
        if (!TAG_CHARACTERS.matcher(name).matches() || !TAG_CHARACTERS.matcher(value).matches()) {
            throw new S3Error(400, "InvalidTag", "The TagKey or TagValue you have provided has characters S3 does not allow in tags");
        }
        if (name.toLowerCase(Locale.ROOT).startsWith("aws:")) {
            throw new S3Error(400, "InvalidTag", "Your TagKey cannot be prefixed with aws:");
        }
        if (tagSet.put(name, value) != null) {
            throw new S3Error(400, "InvalidTag", "Cannot provide multiple Tags with the same key");
        }
        if (tagSet.size() > MAX_TAGS) {
            throw new S3Error(400, "BadRequest", "Object tags cannot be greater than 10");
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void send(HttpServletResponse response, int status, String xml) throws IOException {
        response.setStatus(status);
        response.setHeader("x-amz-request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT));
        if (xml == null) {
            response.setContentLength(0);
            return;
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/xml");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static void error(HttpServletResponse response, S3Error error, String resource) throws IOException {
        send(response, error.status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + error.code + "</Code><Message>"
                + escape(error.getMessage()) + "</Message><Resource>" + escape(resource) + "</Resource></Error>");
    }

    /** An S3 error document: status, code, message. */
    static final class S3Error extends Exception {
        private final int status;
        private final String code;

        S3Error(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        int status() {
            return status;
        }

        String code() {
            return code;
        }
    }

    /**
     * The request as S3Proxy gets it when it carries the tagging headers: S3Proxy refuses a request whose header names
     * include an {@code x-amz-} header it does not know (501), but computes the Signature Version 4 canonical request from
     * the header names the signature lists, read one by one. Left out of the list only, the tagging headers still count
     * in the signature S3Proxy checks; their meaning is {@link TaggingBlobStore}'s.
     */
    private static final class TaggingHeadersUnlisted extends HttpServletRequestWrapper {

        TaggingHeadersUnlisted(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(name -> name.equalsIgnoreCase(TAGGING) || name.equalsIgnoreCase(TAGGING_DIRECTIVE));
            return Collections.enumeration(names);
        }
    }
}
