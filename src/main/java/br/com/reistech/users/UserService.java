package br.com.reistech.users;

import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.PasswordHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.UUID;

/** Users of a workspace. */
@ApplicationScoped
public class UserService {

    private final Transactions transactions;
    private final UserRepository users;

    @Inject
    public UserService(Transactions transactions, UserRepository users) {
        this.transactions = transactions;
        this.users = users;
    }

    /**
     * Creates the user unless one with this e-mail exists in the workspace; an existing user is left
     * untouched (its password is not reset). Returns whether a user was created.
     */
    public boolean ensure(UUID workspaceId, String email, String nome, Role role, String password) {
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        if (transactions.read(() -> users.findByEmail(workspaceId, normalized).isPresent())) {
            return false;
        }
        String hash = PasswordHasher.hash(password);
        return transactions.write(() -> {
            if (users.findByEmail(workspaceId, normalized).isPresent()) {
                return false;
            }
            users.add(new AppUser(workspaceId, normalized, nome, role, hash));
            return true;
        });
    }
}
