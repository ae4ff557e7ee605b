package br.com.reistech.users;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;

/** Users in PostgreSQL; every query is scoped by workspace first. */
@ApplicationScoped
public class UserRepository {

    private final Transactions transactions;

    @Inject
    public UserRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    Optional<AppUser> findByEmail(UUID workspaceId, String email) {
        return transactions.entityManager()
                .createQuery("select u from AppUser u where u.workspaceId = :ws and u.email = :email", AppUser.class)
                .setParameter("ws", workspaceId)
                .setParameter("email", email)
                .getResultStream().findFirst();
    }

    void add(AppUser user) {
        transactions.entityManager().persist(user);
    }
}
