package dev.fedplane.controlplane.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantValidatorTest {
    @ParameterizedTest(name = "{0} is a valid CIDR")
    @CsvSource({
        "10.0.32.0/24",
        "0.0.0.0/0",
        "10.0.32.5/32",
        "192.168.0.0/16",
        "2001:db8::/32",
        "::/0",
        "fd00::1/128"
    })
    void acceptsCanonicalCidrs(String cidr) {
        assertThat(TenantValidator.cidrProblem(cidr)).isNull();
    }

    @ParameterizedTest(name = "{0} is refused because it {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.32.0      | has no prefix                 | must be a CIDR",
                "10.0.32.0/33   | has a prefix over 32          | prefix length must be 0..32",
                "10.0.32.5/24   | has host bits set             | host bits",
                "256.0.0.0/8    | has an octet over 255         | must be a CIDR",
                "10.0.32/24     | has three octets              | must be a CIDR",
                "db.example/24  | is a host name                | must be a CIDR",
                "2001:db8::/129 | has a prefix over 128         | prefix length must be 0..128",
                "2001:db8::1/32 | has IPv6 host bits set        | host bits",
                "10.0.0.0/abc   | has a prefix that is no number| no valid prefix length",
                "''             | is empty                      | is required"
            })
    void refusesMalformedCidrs(String cidr, String why, String message) {
        assertThat(TenantValidator.cidrProblem(cidr)).contains(message);
    }
}
