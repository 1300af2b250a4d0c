package org.swarmwatch.probe.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.SubscriberPseudonym;
import org.swarmwatch.probe.export.AddressPolicy;

class PrivacyTest {
    private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path dir;

    @Test
    void ipv6TextIsCanonical() {
        assertEquals("2001:db8::1", IpAddresses.format(6, 0x20010db800000000L, 1));
        assertEquals("::", IpAddresses.format(6, 0, 0));
        assertEquals("::1", IpAddresses.format(6, 0, 1));
        assertEquals("fe80::", IpAddresses.format(6, 0xfe80000000000000L, 0));
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddresses.format(6, 0x20010db800000001L, 0x0001000100010001L));
        assertEquals("2001:0:0:1::1", IpAddresses.format(6, 0x2001000000000001L, 1)); // longest run wins
        assertEquals("192.0.2.255", IpAddresses.format(4, 0, 0xc00002ffL));
    }

    @Test
    void cidrMatching() {
        Cidr v4 = Cidr.parse("198.51.100.0/24");
        assertTrue(v4.contains(4, 0, 0xc6336401L));
        assertFalse(v4.contains(4, 0, 0xc6336501L));
        assertFalse(v4.contains(6, 0, 0xc6336401L));
        Cidr v6 = Cidr.parse("2001:db8:100::/40");
        assertTrue(v6.contains(6, 0x20010db801000000L, 5));
        assertTrue(v6.contains(6, 0x20010db801ffffffL, 5));
        assertFalse(v6.contains(6, 0x20010db802000000L, 5));
        assertTrue(Cidr.parse("2001:db8::1/128").contains(6, 0x20010db800000000L, 1));
        assertFalse(Cidr.parse("2001:db8::1/128").contains(6, 0x20010db800000000L, 2));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(4, 0, 0xffffffffL));
        assertTrue(Cidr.parse("10.1.2.3").contains(4, 0, 0x0a010203L));
        assertTrue(Cidr.parse("::/0").contains(6, -1L, -1L));
    }

    @Test
    void badCidrsAreRejectedWithTheInput() {
        for (String bad : new String[] {"10.0.0.0/33", "10.0.0.1/8", "example.com/8", "", "10.0.0.0/x", "2001:db8::/129"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void pseudonymIsTheTruncatedHmacOfTheAddressBytes() throws Exception {
        Pseudonymiser p = new Pseudonymiser(PseudonymKey.fromEnvironment(KEY_HEX));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(KEY_HEX), "HmacSHA256"));
        String expected = "sub_" + HexFormat.of().formatHex(mac.doFinal(new byte[] {(byte) 198, 51, 100, 7}), 0, 16);
        assertEquals(expected, p.pseudonym(4, 0, 0xc6336407L));
        assertEquals(expected, p.pseudonym(4, 0, 0xc6336407L)); // cached
        assertTrue(SubscriberPseudonym.isPseudonym(expected));
        assertNotEquals(expected, p.pseudonym(6, 0, 0xc6336407L)); // ::198.51.100.7 is another address
    }

    @Test
    void differentKeysGiveUnlinkablePseudonyms() {
        String a = new Pseudonymiser(PseudonymKey.ephemeral()).pseudonym(4, 0, 1);
        String b = new Pseudonymiser(PseudonymKey.ephemeral()).pseudonym(4, 0, 1);
        assertNotEquals(a, b);
    }

    @Test
    void keyFilesMustBePrivateAndLongEnough() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, KEY_HEX + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Exception e = assertThrows(java.io.IOException.class, () -> PseudonymKey.fromFile(key));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertEquals(new Pseudonymiser(PseudonymKey.fromEnvironment(KEY_HEX)).pseudonym(4, 0, 1),
                new Pseudonymiser(PseudonymKey.fromFile(key)).pseudonym(4, 0, 1), "the file holds the same key as the hex text");

        Files.writeString(key, "abcd");
        e = assertThrows(IllegalArgumentException.class, () -> PseudonymKey.fromFile(key));
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        assertThrows(java.io.IOException.class, () -> PseudonymKey.fromFile(dir.resolve("missing")));
        assertEquals(null, PseudonymKey.fromEnvironment(""));
    }

    @Test
    void policyPseudonymisesOnlySubscribersUnlessInLabMode() {
        SubscriberNetworks subs = SubscriberNetworks.parse("198.51.100.0/24, 2001:db8:100::/40");
        Pseudonymiser p = new Pseudonymiser(PseudonymKey.fromEnvironment(KEY_HEX));
        AddressPolicy prod = new AddressPolicy(subs, p, AddressMode.PSEUDONYMISED);
        Endpoint sub = prod.endpoint(4, 0, 0xc6336407L, 51413, 1, 2);
        assertTrue(SubscriberPseudonym.isPseudonym(sub.address()));
        assertEquals(null, sub.ip());
        assertTrue(sub.subscriber());
        Endpoint remote = prod.endpoint(4, 0, 0xcb007101L, 6881, 1, 2);
        assertEquals("203.0.113.1", remote.address());
        assertEquals("203.0.113.1", remote.ip());
        assertFalse(remote.subscriber());

        Endpoint lab = new AddressPolicy(subs, p, AddressMode.RAW).endpoint(4, 0, 0xc6336407L, 51413, 1, 2);
        assertEquals("198.51.100.7", lab.address());
        assertTrue(lab.subscriber());
    }

    @Test
    void defaultSubscriberNetworksCoverEveryAddress() {
        SubscriberNetworks all = SubscriberNetworks.everything();
        assertTrue(all.contains(4, 0, 0x08080808L));
        assertTrue(all.contains(6, 0x20010db800000000L, 1));
    }
}
