package dev.mediagate.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class OwnerTest {

    @Test
    void isAFixedLengthLowerCaseAlphanumericSegment() {
        Owner owner = Owner.of("https://auth.example.com/", "alice@example.com/../../x");

        assertThat(owner.value()).hasSize(32).matches("[a-z0-9]+");
    }

    @Test
    void isTheSameForTheSameIssuerAndSubject() {
        assertThat(Owner.of("https://a/", "alice")).isEqualTo(Owner.of("https://a/", "alice"));
    }

    @Test
    void differsWhenTheSameSubjectComesFromAnotherIssuer() {
        assertThat(Owner.of("https://a/", "alice")).isNotEqualTo(Owner.of("https://b/", "alice"));
    }

    @Test
    void cannotBeForgedBySplittingIssuerAndSubjectDifferently() {
        assertThat(Owner.of("https://a/x", "y")).isNotEqualTo(Owner.of("https://a/", "xy"));
    }

    @Test
    void refusesAMissingIssuerOrSubject() {
        assertThatIllegalArgumentException().isThrownBy(() -> Owner.of("https://a/", " "));
        assertThatIllegalArgumentException().isThrownBy(() -> Owner.of(null, "alice"));
    }
}
