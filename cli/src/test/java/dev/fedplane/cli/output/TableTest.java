package dev.fedplane.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreLeftAlignedThreeSpacesApartWithoutTrailingSpaces() {
        String t =
                new Table("NAME", "STATE", "NOTE")
                        .row("idc-a-1", "READY", "")
                        .row("b", "NOT_READY", "slow")
                        .render();
        assertThat(t)
                .isEqualTo(
                        """
                NAME      STATE       NOTE
                idc-a-1   READY       -
                b         NOT_READY   slow
                """);
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsAProgrammingError() {
        assertThatThrownBy(() -> new Table("A", "B").row("x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
