package dev.mediagate.core.files;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The key-safe identity of a caller: a fixed-length lower-case base32 encoding ({@code [a-z2-7]}, within the contract's
 * {@code [a-z0-9]}) of the token's {@code iss} and {@code sub}, so two issuers can never share a prefix and no claim text
 * reaches a key.
 */
public record Owner(String value) {

    /** 160 bits of SHA-256 in lower-case base32: 32 characters. */
    public static final int LENGTH = 32;
    private static final Pattern FORMAT = Pattern.compile("[a-z2-7]{" + LENGTH + "}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    public Owner {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not an owner segment");
        }
    }

    public static Owner of(String issuer, String subject) {
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("issuer and subject are required");
        }
        byte[] digest = sha256(issuer.length() + ":" + issuer + "\n" + subject);
        return new Owner(base32(Arrays.copyOf(digest, 20)));
    }

    public static boolean isOwnerSegment(String segment) {
        return segment != null && FORMAT.matcher(segment).matches();
    }

    @Override
    public String toString() {
        return value;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 8 / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}
