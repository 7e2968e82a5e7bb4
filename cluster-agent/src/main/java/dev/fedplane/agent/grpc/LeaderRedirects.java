package dev.fedplane.agent.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fedplane.proto.v1.LeaderRedirect;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;

/** Reads a follower's answer: FAILED_PRECONDITION with a {@code LeaderRedirect} in the details. */
public final class LeaderRedirects {

    private LeaderRedirects() {}

    /**
     * The leader's address when {@code error} is a follower's redirect with a non-empty address.
     */
    public static Optional<String> leaderAddress(Throwable error) {
        if (Status.fromThrowable(error).getCode() != Status.Code.FAILED_PRECONDITION) {
            return Optional.empty();
        }
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return Optional.empty();
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(LeaderRedirect.class)) {
                try {
                    String address = detail.unpack(LeaderRedirect.class).getLeaderAddress();
                    return address.isBlank() ? Optional.empty() : Optional.of(address);
                } catch (InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
