package dev.fedplane.controlplane.auth.grpc;

import dev.fedplane.controlplane.auth.Role;
import dev.fedplane.controlplane.auth.Token;
import dev.fedplane.controlplane.auth.TokenService;
import dev.fedplane.controlplane.grpc.Callers;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.CreateTokenResponse;
import dev.fedplane.proto.v1.ListTokensRequest;
import dev.fedplane.proto.v1.ListTokensResponse;
import dev.fedplane.proto.v1.RevokeTokenRequest;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Transport for {@code fedplane.v1.TokenService}, with its converters. */
@Singleton
public class GrpcTokenService extends TokenServiceGrpc.TokenServiceImplBase {
    private final TokenService tokens;

    public GrpcTokenService(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public void createToken(CreateTokenRequest r, StreamObserver<CreateTokenResponse> out) {
        TokenService.Created created =
                tokens.create(
                        Callers.current(),
                        new TokenService.CreateRequest(
                                toCore(r.getKind()),
                                toCore(r.getRole()),
                                r.getTenant(),
                                r.getDescription(),
                                r.getTtlSeconds(),
                                r.getMaxUses()));
        out.onNext(
                CreateTokenResponse.newBuilder()
                        .setToken(toGrpc(created.token()))
                        .setSecret(created.secret())
                        .build());
        out.onCompleted();
    }

    @Override
    public void listTokens(ListTokensRequest r, StreamObserver<ListTokensResponse> out) {
        TokenService.Page page =
                tokens.list(
                        Callers.current(),
                        r.getTenant(),
                        r.getIncludeRevoked(),
                        r.getPageSize(),
                        r.getPageToken());
        out.onNext(
                ListTokensResponse.newBuilder()
                        .addAllTokens(page.tokens().stream().map(GrpcTokenService::toGrpc).toList())
                        .setNextPageToken(page.nextPageToken())
                        .build());
        out.onCompleted();
    }

    @Override
    public void revokeToken(RevokeTokenRequest r, StreamObserver<dev.fedplane.proto.v1.Token> out) {
        out.onNext(toGrpc(tokens.revoke(Callers.current(), r.getId())));
        out.onCompleted();
    }

    static Token.Kind toCore(TokenKind k) {
        return switch (k) {
            case API -> Token.Kind.API;
            case BOOTSTRAP -> Token.Kind.BOOTSTRAP;
            default -> null;
        };
    }

    static Role toCore(dev.fedplane.proto.v1.Role r) {
        return switch (r) {
            case PLATFORM_ADMIN -> Role.PLATFORM_ADMIN;
            case TENANT_ADMIN -> Role.TENANT_ADMIN;
            case TENANT_VIEWER -> Role.TENANT_VIEWER;
            default -> null;
        };
    }

    static dev.fedplane.proto.v1.Token toGrpc(Token t) {
        var b =
                dev.fedplane.proto.v1.Token.newBuilder()
                        .setId(t.id())
                        .setKind(TokenKind.valueOf(t.kind().name()))
                        .setDescription(t.description())
                        .setCreateTimeUnixMillis(t.createdAt())
                        .setExpireTimeUnixMillis(t.expiresAt())
                        .setMaxUses(t.maxUses())
                        .setUses(t.uses())
                        .setRevoked(t.revoked())
                        .setCreatedBy(t.createdBy());
        if (t.role() != null) {
            b.setRole(dev.fedplane.proto.v1.Role.valueOf(t.role().name()));
        }
        if (t.tenant() != null) {
            b.setTenant(t.tenant());
        }
        return b.build();
    }
}
