package dev.mediagate.api.cdn;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** RSA private keys from PEM, PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
public final class PemKeys {

    private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
        0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKeys() {
    }

    /** Errors say what is wrong with the PEM, never a byte of it. */
    public static PrivateKey rsaPrivateKey(String pem) {
        boolean pkcs1 = pem.contains("-----BEGIN RSA PRIVATE KEY-----");
        if (!pkcs1 && !pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("the CloudFront private key is not an unencrypted PEM RSA key (PKCS#8 or PKCS#1)");
        }
        String body = pem.replaceAll("-----(BEGIN|END) (RSA )?PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? wrapPkcs1(der) : der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the CloudFront private key PEM cannot be read as an RSA key");
        }
    }

    /** PKCS#8 PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { the PKCS#1 key } }. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(new byte[] {0x02, 0x01, 0x00});
        info.writeBytes(RSA_ALGORITHM_IDENTIFIER);
        info.write(0x04);
        writeLength(info, pkcs1.length);
        info.writeBytes(pkcs1);
        ByteArrayOutputStream sequence = new ByteArrayOutputStream();
        sequence.write(0x30);
        writeLength(sequence, info.size());
        sequence.writeBytes(info.toByteArray());
        return sequence.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write((length >> 8) & 0xFF);
            out.write(length & 0xFF);
        }
    }
}
