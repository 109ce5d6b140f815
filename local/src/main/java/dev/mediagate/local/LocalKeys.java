package dev.mediagate.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The local stack's RSA key pairs, made on first start and reused: the CloudFront dev signing key
 * ({@code keys/cloudfront-private.pem}, PKCS#8, and {@code keys/cloudfront-public.pem}) and the dev token issuer's key.
 */
final class LocalKeys {

    private LocalKeys() {
    }

    static KeyPair loadOrCreate(Path directory, String name) {
        Path privatePem = directory.resolve(name + "-private.pem");
        Path publicPem = directory.resolve(name + "-public.pem");
        try {
            if (Files.exists(privatePem)) {
                RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                        .generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privatePem))));
                RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
                return new KeyPair(publicKey, privateKey);
            }
            Files.createDirectories(directory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            try {
                Files.setPosixFilePermissions(privatePem, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data directory's own permissions apply
            }
            Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + privatePem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(privatePem + " is not a PKCS#8 RSA key (delete it to make a new one)", e);
        }
    }

    /** The webhook signing secret, {@code whsec_} and 32 random bytes in base64, made on first start and reused. */
    static Path webhookSecret(Path directory) {
        Path file = directory.resolve("webhook-secret");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(directory);
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Files.writeString(file, "whsec_" + Base64.getEncoder().encodeToString(key) + "\n");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    static Path privateKeyFile(Path directory, String name) {
        return directory.resolve(name + "-private.pem");
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
