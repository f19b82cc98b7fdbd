package com.kpiledger.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Bearer tokens as an identity provider would issue them: RS256-signed JWTs with the roles in {@code groups}. Made by
 * hand with the JDK, so that the tests depend on nothing the service does not.
 */
public final class Tokens {

    /** The issuer the {@code %test} profile expects. */
    public static final String TEST_ISSUER = "kpi-ledger-test";

    private Tokens() {
    }

    /** A token for the {@code @QuarkusTest}s, signed with the test-only key in src/test/resources/test-jwt. */
    public static String forTests(String subject, Collection<String> roles) {
        return sign(testKey(), TEST_ISSUER, subject, roles, Instant.now().plus(Duration.ofHours(1)));
    }

    public static String sign(PrivateKey key, String issuer, String subject, Collection<String> roles,
                              Instant expiresAt) {
        String header = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String groups = roles.stream().map(role -> "\"" + role + "\"").collect(Collectors.joining(","));
        long now = Instant.now().getEpochSecond();
        String payload = base64("{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
                + "\",\"groups\":[" + groups + "],\"iat\":" + now + ",\"exp\":" + expiresAt.getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh key pair, for a service started by a test with its public key. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as MP_JWT_VERIFY_PUBLICKEY takes it inline: base64 of its DER form. */
    public static String inline(KeyPair keys) {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** The test-only private key (src/test/resources/test-jwt), to sign tokens with other claims. */
    public static PrivateKey testKey() {
        try (InputStream pem = Tokens.class.getResourceAsStream("/test-jwt/private-key.pem")) {
            String text = new String(pem.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
