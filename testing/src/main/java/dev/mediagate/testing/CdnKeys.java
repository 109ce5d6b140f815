package dev.mediagate.testing;

import dev.mediagate.local.cdn.CloudFrontInvalidations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** One RSA-2048 CloudFront key pair per test JVM, the private half as a PKCS#8 PEM file, as the local stack keeps it. */
public final class CdnKeys {

    public static final String KEY_PAIR_ID = "K2MEDIAGATETEST";
    public static final String CDN_BASE_URL = "https://d111111abcdef8.cloudfront.net";
    private static KeyPair pair;
    private static Path privateKeyFile;

    private CdnKeys() {
    }

    public static synchronized KeyPair pair() {
        if (pair == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                pair = generator.generateKeyPair();
                privateKeyFile = Files.createTempFile("cloudfront-private", ".pem");
                privateKeyFile.toFile().deleteOnExit();
                Files.writeString(privateKeyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pair;
    }

    /** Points the API's CDN settings at this key pair (system properties win over the environment). */
    public static void configure() {
        pair();
        System.setProperty("CDN_BASE_URL", CDN_BASE_URL);
        System.setProperty("CDN_KEY_PAIR_ID", KEY_PAIR_ID);
        System.setProperty("CDN_PRIVATE_KEY_FILE", privateKeyFile.toString());
        System.setProperty("CDN_DISTRIBUTION_ID", CloudFrontInvalidations.DISTRIBUTION_ID);
        System.setProperty("AWS_ENDPOINT_URL_CLOUDFRONT", CloudFrontInvalidations.shared().endpoint().toString());
        // CDN invalidations are queued: the stand-in records what the API sends.
        dev.mediagate.local.sqs.SqsSendMessage.shared();
    }

    public static Path privateKeyFile() {
        pair();
        return privateKeyFile;
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
