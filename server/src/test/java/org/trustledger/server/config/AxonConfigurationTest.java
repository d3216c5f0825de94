package org.trustledger.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.axonframework.eventhandling.Segment;
import org.junit.jupiter.api.Test;

class AxonConfigurationTest {

    @Test
    void a_group_counts_as_processed_here_only_with_every_segment_held() {
        Segment root = Segment.ROOT_SEGMENT;
        Segment[] halves = root.split();
        Segment[] quarters = halves[1].split();
        assertThat(AxonConfiguration.holdsEverySegment(List.of(root))).isTrue();
        assertThat(AxonConfiguration.holdsEverySegment(List.of(halves))).isTrue();
        assertThat(AxonConfiguration.holdsEverySegment(List.of(halves[0], quarters[0], quarters[1]))).isTrue();
        assertThat(AxonConfiguration.holdsEverySegment(List.of(halves[0]))).isFalse();
        assertThat(AxonConfiguration.holdsEverySegment(List.of(halves[0], quarters[1]))).isFalse();
        assertThat(AxonConfiguration.holdsEverySegment(List.of())).isFalse();
    }
}
