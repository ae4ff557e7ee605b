package br.com.reistech.users;

import br.com.reistech.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Users in PostgreSQL; the workspace id is the first parameter of every query. */
@ApplicationScoped
public class UserRepository {

    private final Transactions transactions;

    @Inject
    public UserRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    Optional<AppUser> findById(UUID workspaceId, UUID id) {
        return transactions.entityManager()
                .createQuery("select u from AppUser u where u.workspaceId = :ws and u.id = :id", AppUser.class)
                .setParameter("ws", workspaceId).setParameter("id", id)
                .getResultStream().findFirst();
    }

    /** The user, row-locked for the rest of the transaction (login failure counting, changes). */
    Optional<AppUser> lockById(UUID workspaceId, UUID id) {
        return transactions.entityManager()
                .createQuery("select u from AppUser u where u.workspaceId = :ws and u.id = :id", AppUser.class)
                .setParameter("ws", workspaceId).setParameter("id", id)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    Optional<AppUser> findByEmail(UUID workspaceId, String email) {
        return transactions.entityManager()
                .createQuery("select u from AppUser u where u.workspaceId = :ws and u.email = :email", AppUser.class)
                .setParameter("ws", workspaceId).setParameter("email", email)
                .getResultStream().findFirst();
    }

    boolean cpfTaken(UUID workspaceId, String cpf, UUID exceptId) {
        return !transactions.entityManager()
                .createQuery("select u.id from AppUser u where u.workspaceId = :ws and u.cpf = :cpf and u.id <> :id",
                        UUID.class)
                .setParameter("ws", workspaceId).setParameter("cpf", cpf).setParameter("id", exceptId)
                .setMaxResults(1).getResultList().isEmpty();
    }

    List<AppUser> list(UUID workspaceId, int page, int size) {
        return transactions.entityManager()
                .createQuery("select u from AppUser u where u.workspaceId = :ws order by u.createdAt, u.id", AppUser.class)
                .setParameter("ws", workspaceId)
                .setFirstResult(page * size).setMaxResults(size)
                .getResultList();
    }

    long count(UUID workspaceId) {
        return transactions.entityManager()
                .createQuery("select count(u) from AppUser u where u.workspaceId = :ws", Long.class)
                .setParameter("ws", workspaceId).getSingleResult();
    }

    void add(AppUser user) {
        transactions.entityManager().persist(user);
        transactions.entityManager().flush();
    }
}
