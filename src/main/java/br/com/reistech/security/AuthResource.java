package br.com.reistech.security;

import br.com.reistech.security.SessionService.TokenPair;
import br.com.reistech.users.PasswordChangeRequest;
import br.com.reistech.users.UserService;
import br.com.reistech.users.UserView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /api/auth}: login (tokens for {@code {workspace, email, password}}), refresh (rotation with
 * reuse detection), logout (ends the session of the presented access token), the caller's own
 * profile and password change (which ends all of the caller's sessions).
 */
@ApplicationScoped
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final AuthService auth;
    private final UserService users;

    @Inject
    public AuthResource(AuthService auth, UserService users) {
        this.auth = auth;
        this.users = users;
    }

    @POST
    @Path("login")
    @Public
    public TokenPair login(@NotNull @Valid LoginRequest request) {
        return auth.login(request);
    }

    @POST
    @Path("refresh")
    @Public
    public TokenPair refresh(@NotNull @Valid RefreshRequest request) {
        return auth.refresh(request);
    }

    @POST
    @Path("logout")
    @Allow(Permission.SELF)
    public jakarta.ws.rs.core.Response logout(@Context CurrentUser caller) {
        auth.logout(caller);
        return jakarta.ws.rs.core.Response.noContent().build();
    }

    @GET
    @Path("me")
    @Allow(Permission.SELF)
    public UserView me(@Context CurrentUser user) {
        return users.get(user.workspaceId(), user.userId());
    }

    @PUT
    @Path("password")
    @Allow(Permission.SELF)
    public jakarta.ws.rs.core.Response changePassword(@Context CurrentUser caller,
                                                      @NotNull @Valid PasswordChangeRequest request) {
        users.changePassword(caller, request);
        return jakarta.ws.rs.core.Response.noContent().build();
    }
}
