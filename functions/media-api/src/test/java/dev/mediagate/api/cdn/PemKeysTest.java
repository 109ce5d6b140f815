package dev.mediagate.api.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.mediagate.testing.CdnKeys;
import java.nio.file.Files;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.Test;

class PemKeysTest {

    @Test
    void readsPkcs8AndPkcs1PemToTheSameKey() throws Exception {
        String pkcs8 = Files.readString(CdnKeys.privateKeyFile());
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) PemKeys.rsaPrivateKey(pkcs8);
        byte[] der = key.getEncoded();
        // PKCS#8 for RSA-2048 wraps the PKCS#1 key after a fixed 26-byte header.
        String pkcs1 = CdnKeys.pem("RSA PRIVATE KEY", java.util.Arrays.copyOfRange(der, 26, der.length));

        assertThat(PemKeys.rsaPrivateKey(pkcs1)).isEqualTo(key);
    }

    @Test
    void neverEchoesTheKeyInItsErrors() {
        String broken = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-SECRET-BYTES\n-----END PRIVATE KEY-----";

        assertThatIllegalArgumentException().isThrownBy(() -> PemKeys.rsaPrivateKey(broken))
                .withMessageNotContaining("SECRET").withMessageNotContaining("MIIE");
    }
}
