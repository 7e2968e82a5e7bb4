package dev.fedplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.agent.DesiredStateSequencer.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DesiredStateSequencerTest {

    @ParameterizedTest(name = "after epoch 5, generation 10: {0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
      a full state from the same epoch applies                     | 5 | 42 | true  | APPLY              | 5
      a full state from a later epoch applies and raises the epoch | 6 | 3  | true  | APPLY              | 6
      a full state from an earlier epoch is refused                | 4 | 11 | true  | REFUSE_STALE_EPOCH | 5
      the next delta applies                                       | 5 | 11 | false | APPLY              | 5
      a delta that skips a generation is rejected                  | 5 | 12 | false | REJECT_GAP         | 5
      a repeated delta is rejected                                 | 5 | 10 | false | REJECT_GAP         | 5
      a delta from an earlier epoch is refused                     | 4 | 11 | false | REFUSE_STALE_EPOCH | 5
      a gap from a later epoch still raises the epoch              | 7 | 20 | false | REJECT_GAP         | 7
      """)
    void decides(
            String situation,
            long epoch,
            long generation,
            boolean full,
            Verdict expected,
            long epochAfter) {
        DesiredStateSequencer sequencer = new DesiredStateSequencer();
        sequencer.admit(5, 10, true);
        sequencer.applied(10);

        assertThat(sequencer.admit(epoch, generation, full)).isEqualTo(expected);
        assertThat(sequencer.highestEpoch()).isEqualTo(epochAfter);
    }
}
